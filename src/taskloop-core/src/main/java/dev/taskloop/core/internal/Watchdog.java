package dev.taskloop.core.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One platform daemon thread for the JVM that samples every registered loop and reports a step
 * still holding the baton past the slow-step threshold, with the holder's live stack (Vert.x's
 * {@code BlockedThreadChecker}). A platform thread, so that it runs even when every carrier of the
 * virtual-thread scheduler is busy.
 */
final class Watchdog {
    private static final CopyOnWriteArrayList<Loop> LOOPS = new CopyOnWriteArrayList<>();
    private static Thread thread;

    private Watchdog() {
    }

    static synchronized void register(Loop loop) {
        LOOPS.add(loop);
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("taskloop-watchdog").start(Watchdog::run);
        }
        LockSupport.unpark(thread);
    }

    static void unregister(Loop loop) {
        LOOPS.remove(loop);
    }

    private static void run() {
        while (true) {
            long interval = TimeUnit.MILLISECONDS.toNanos(50);
            for (Loop l : LOOPS) {
                interval = Math.min(interval, Math.max(TimeUnit.MILLISECONDS.toNanos(1), l.slowNanos / 10));
            }
            if (LOOPS.isEmpty()) {
                LockSupport.park();
                continue;
            }
            LockSupport.parkNanos(interval);
            long now = System.nanoTime();
            for (Loop l : LOOPS) {
                try {
                    l.watchdogCheck(now);
                } catch (RuntimeException | Error e) {
                    Loop.LOG.log(System.Logger.Level.WARNING, "watchdog failed to check event loop '" + l.name + "'", e);
                }
            }
        }
    }
}
