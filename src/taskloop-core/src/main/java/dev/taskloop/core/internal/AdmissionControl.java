package dev.taskloop.core.internal;

import dev.taskloop.core.Admission;
import dev.taskloop.core.spi.AdmissionSnapshot;
import dev.taskloop.core.spi.LatencySnapshot;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A loop's admission control (see {@link Admission}): a count of admitted live tasks, an
 * "overloaded" flag the watchdog sets from the recent lag p99, and the spawns waiting for room.
 * Thread-safe: spawns come from any thread.
 */
final class AdmissionControl {

    private static final long LAG_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Loop loop;
    private final Admission policy;
    private final long lagSloNanos;
    private final AtomicInteger live = new AtomicInteger();
    private final ReentrantLock guard = new ReentrantLock();
    private final ArrayDeque<Object> waiters = new ArrayDeque<>();
    private volatile boolean overloaded;
    private final AtomicLong waited = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    // Watchdog-thread-only: the lag window.
    private @Nullable LatencySnapshot windowStart;
    private long windowStartedAt;

    AdmissionControl(Loop loop, Admission policy) {
        this.loop = loop;
        this.policy = policy;
        this.lagSloNanos = Checks.saturatedNanos(policy.lagSlo());
    }

    boolean hasLagSlo() {
        return lagSloNanos > 0;
    }

    /**
     * Admits one new task, waiting, failing or shedding as the policy says.
     *
     * @return {@code false} if the spawn is to be shed
     */
    boolean admit(@Nullable String taskName) {
        boolean counted = false;
        while (true) {
            if (!overloaded && reserve()) {
                return true;
            }
            switch (policy.mode()) {
                case FAIL -> {
                    rejected.incrementAndGet();
                    throw new RejectedExecutionException("event loop '" + loop.name + "' is over its admission limit ("
                            + reason() + "); task '" + (taskName == null ? "(unnamed)" : taskName)
                            + "' rejected: spawn fewer tasks, raise the limit, or choose Admission.Mode.WAIT to make spawners wait");
                }
                case SHED -> {
                    shed.incrementAndGet();
                    return false;
                }
                case WAIT -> {
                    if (!counted) {
                        waited.incrementAndGet();
                        counted = true;
                    }
                    awaitRoom();
                }
            }
        }
    }

    /** Why the loop does not admit now, for messages. */
    String reason() {
        return overloaded ? "lag p99 over its SLO of " + Durations.format(lagSloNanos)
                : live.get() + " live tasks of at most " + policy.maxTasks();
    }

    private boolean reserve() {
        int n;
        do {
            n = live.get();
            if (n >= policy.maxTasks()) {
                return false;
            }
        } while (!live.compareAndSet(n, n + 1));
        return true;
    }

    /** A task admitted by {@link #admit} ended. */
    void released() {
        live.decrementAndGet();
        wakeOne();
    }

    private void awaitRoom() {
        TaskImpl<?> me = TaskImpl.current();
        if (me != null) {
            Waiter w = Waiter.begin("spawn()", "spawn", "admission to event loop '" + loop.name + "'", null);
            enqueue(w);
            if (w.await() == Waiter.CANCELLED) {
                remove(w);
                throw w.cancellation();
            }
            return;
        }
        Loop cb = Loop.callbackLoop();
        if (cb != null) {
            throw new IllegalStateException("spawn from a callback of event loop '" + cb.name + "' cannot wait for admission ("
                    + reason() + "): spawn from a task, or choose Admission.Mode.FAIL or SHED");
        }
        Thread t = Thread.currentThread();
        enqueue(t);
        boolean interrupted = false;
        try {
            while (contains(t) && !loop.isClosed()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            remove(t);
            if (interrupted) {
                t.interrupt();
            }
        }
    }

    private void enqueue(Object waiter) {
        guard.lock();
        try {
            waiters.add(waiter);
        } finally {
            guard.unlock();
        }
        wakeOne(); // room may have appeared between the failed reservation and now
    }

    private void remove(Object waiter) {
        guard.lock();
        try {
            waiters.remove(waiter);
        } finally {
            guard.unlock();
        }
    }

    private boolean contains(Object waiter) {
        guard.lock();
        try {
            return waiters.contains(waiter);
        } finally {
            guard.unlock();
        }
    }

    /** Lets the first waiter retry, if there is room now. */
    private void wakeOne() {
        if (waiters.isEmpty() || overloaded || live.get() >= policy.maxTasks()) {
            return;
        }
        Object w;
        guard.lock();
        try {
            w = waiters.poll();
        } finally {
            guard.unlock();
        }
        if (w instanceof Waiter waiter) {
            if (!waiter.wake(TaskImpl.WOKEN)) {
                wakeOne(); // cancelled meanwhile: the next one
            }
        } else if (w instanceof Thread t) {
            LockSupport.unpark(t);
        }
    }

    /** Called by the watchdog thread: updates the overloaded flag from the lag of the last window. */
    void checkLag(long wallNow) {
        if (lagSloNanos <= 0) {
            return;
        }
        if (windowStart == null) {
            windowStart = loop.snapshot().lag();
            windowStartedAt = wallNow;
            return;
        }
        if (wallNow - windowStartedAt < LAG_WINDOW_NANOS) {
            return;
        }
        LatencySnapshot now = loop.snapshot().lag();
        LatencySnapshot window = now.since(windowStart);
        windowStart = now;
        windowStartedAt = wallNow;
        boolean over = window.count() > 0 && window.p99() > lagSloNanos;
        if (over != overloaded) {
            overloaded = over;
            if (!over) {
                for (int i = 0; i < 64 && !waiters.isEmpty(); i++) {
                    wakeOne();
                }
            }
        }
    }

    /** Wakes every waiter (the loop is closing: their spawns will be rejected). */
    void wakeAll() {
        Object w;
        while (true) {
            guard.lock();
            try {
                w = waiters.poll();
            } finally {
                guard.unlock();
            }
            if (w == null) {
                return;
            }
            if (w instanceof Waiter waiter) {
                waiter.wake(TaskImpl.WOKEN);
            } else {
                LockSupport.unpark((Thread) w);
            }
        }
    }

    AdmissionSnapshot snapshot() {
        int waiting;
        guard.lock();
        try {
            waiting = waiters.size();
        } finally {
            guard.unlock();
        }
        return new AdmissionSnapshot(policy.maxTasks(), lagSloNanos, policy.mode().name(), overloaded, waiting,
                waited.get(), rejected.get(), shed.get());
    }
}
