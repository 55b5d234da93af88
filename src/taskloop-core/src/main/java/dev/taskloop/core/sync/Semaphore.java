package dev.taskloop.core.sync;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.AsyncRunnable;
import dev.taskloop.core.internal.Bodies;
import dev.taskloop.core.internal.Waiter;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's {@code Semaphore}: a counter of permits. {@link #acquire()} takes one, waiting while
 * there are none; {@link #release()} gives one back. Use it to bound concurrency (at most n tasks
 * calling a service at once).
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link #acquire()} is an await point: it checks for cancellation first, takes a free permit
 *       at once, or waits, releasing the baton. Waiters are served in FIFO order: {@link #release()}
 *       hands its permit straight to the first waiter, so a task arriving later cannot barge in.</li>
 *   <li>A cancelled waiter never takes a permit: the hand-off skips it. A waiter that was handed a
 *       permit keeps it even if a cancellation arrives afterwards (its next await point throws).</li>
 *   <li>Permits have no owner (as in asyncio): any task or thread may release. A plain semaphore may
 *       be released more often than acquired, which raises its count; {@link BoundedSemaphore}
 *       forbids that.</li>
 * </ul>
 *
 * <h2>Thread-safety</h2>
 * Shareable by tasks of different loops. {@link #release()}, {@link #tryAcquire()} and the
 * queries may be called from any thread; {@link #acquire()} only from a task. State is guarded by
 * a small internal lock that is never held across an await.
 *
 * @since 0.1.0
 */
public sealed class Semaphore permits BoundedSemaphore {

    private static final Object GRANTED = new Object();

    private final String name;
    private final ReentrantLock guard = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Free permits. Positive only while no task waits. */
    private int permits;

    /** A semaphore named {@code Semaphore-<n>} with {@code permits} free permits. */
    public Semaphore(int permits) {
        this(null, permits);
    }

    /**
     * A semaphore with a name, shown in snapshots and errors.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(@Nullable String name, int permits) {
        this(name, permits, "Semaphore");
    }

    Semaphore(@Nullable String name, int permits, String kind) {
        if (permits < 0) {
            throw new IllegalArgumentException(kind + " '" + Names.orDefault(name, kind)
                    + "' needs zero or more initial permits, but got " + permits);
        }
        this.name = Names.orDefault(name, kind);
        this.permits = permits;
    }

    /** The semaphore's name. */
    public final String name() {
        return name;
    }

    /**
     * Takes a permit, waiting for one if none is free. An await point.
     *
     * @throws dev.taskloop.core.CancelledException if the caller is cancelled; it then holds no permit
     * @throws IllegalStateException if the caller is not a task
     */
    public final void acquire() {
        Waiter.checkpoint(kind() + ".acquire()");
        Waiter w;
        guard.lock();
        try {
            if (permits > 0) {
                permits--;
                return;
            }
            w = Waiter.begin(kind() + ".acquire()", "semaphore", name, null);
            waiters.add(w);
        } finally {
            guard.unlock();
        }
        w.awaitIn(waiters, guard);
    }

    /** Takes a free permit without waiting; returns whether it did. Any thread. */
    public final boolean tryAcquire() {
        guard.lock();
        try {
            if (permits > 0) {
                permits--;
                return true;
            }
            return false;
        } finally {
            guard.unlock();
        }
    }

    /**
     * Gives a permit back: to the first waiting task that was not cancelled, or to the free count.
     * Not an await point; any thread.
     *
     * @throws IllegalStateException for a {@link BoundedSemaphore} that would exceed its initial permits
     */
    public final void release() {
        guard.lock();
        try {
            Waiter w;
            while ((w = waiters.poll()) != null) {
                if (w.wake(GRANTED)) {
                    return;
                }
            }
            checkRelease(permits);
            permits++;
        } finally {
            guard.unlock();
        }
    }

    /** Runs {@code body} holding a permit (asyncio's {@code async with sem}). */
    public final <T extends @Nullable Object, E extends Exception> T withPermit(AsyncCallable<T, E> body) throws E {
        acquire();
        try {
            return body.call();
        } finally {
            release();
        }
    }

    /** {@link #withPermit(AsyncCallable)} for a body without a result. */
    public final <E extends Exception> void withPermit(AsyncRunnable<E> body) throws E {
        withPermit(Bodies.callable(body));
    }

    /** Free permits now (0 while tasks wait). */
    public final int availablePermits() {
        guard.lock();
        try {
            return permits;
        } finally {
            guard.unlock();
        }
    }

    /** Whether {@link #acquire()} would wait now (asyncio's {@code locked()}). */
    public final boolean isLocked() {
        return availablePermits() == 0;
    }

    /** How many tasks wait now (cancelled ones may be counted until they have left). */
    public final int waiting() {
        guard.lock();
        try {
            return waiters.size();
        } finally {
            guard.unlock();
        }
    }

    /** Called under the guard before a release adds to the free count. */
    void checkRelease(int free) {
    }

    String kind() {
        return "Semaphore";
    }

    @Override
    public String toString() {
        return kind() + "[" + name + ", " + availablePermits() + " free, " + waiting() + " waiting]";
    }
}
