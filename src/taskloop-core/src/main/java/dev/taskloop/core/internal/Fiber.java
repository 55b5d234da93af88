package dev.taskloop.core.internal;

import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Something that can hold a loop's baton: a task, or the loop's driver (which runs callbacks and
 * fires timers while no task is ready). Its thread runs only while {@link #hasBaton} is true.
 */
abstract sealed class Fiber implements Baton.Entry permits TaskImpl, Baton.Driver {
    final Loop loop;
    /** The loop's baton, which this fiber waits for, holds and hands on. */
    final Baton baton;
    volatile @Nullable Thread thread;
    /** Written under the loop's lock by whoever hands the baton over; read by the fiber's own thread. */
    volatile boolean hasBaton;
    /** Loop time this fiber became ready (joined the ready queue). Written by the loop. */
    long readyAt;
    /** Loop time the current step began. */
    long stepStart;

    Fiber(Loop loop, Baton baton) {
        this.loop = loop;
        this.baton = baton;
    }

    /** Creates and starts the thread; called once, after the fiber got the baton for the first time. */
    abstract void start();

    abstract long fiberId();

    abstract String fiberName();

    /**
     * Parks the calling thread (this fiber's) until the baton is handed to it. An interrupt that
     * arrives meanwhile is kept and re-asserted once the baton is here, so that blocking code the
     * task runs next still sees it.
     */
    final void awaitBaton() {
        boolean interrupted = false;
        while (!hasBaton) {
            LockSupport.park(loop);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes the fiber's thread run: starts it the first time, unparks it afterwards. */
    final void resume() {
        Thread t = thread;
        if (t == null) {
            start();
        } else {
            LockSupport.unpark(t);
        }
    }
}
