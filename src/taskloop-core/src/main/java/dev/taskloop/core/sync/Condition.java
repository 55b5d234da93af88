package dev.taskloop.core.sync;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.AsyncRunnable;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.Task;
import dev.taskloop.core.internal.Waiter;
import dev.taskloop.core.spi.Describe;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's {@code Condition}: tasks wait, holding a {@link Lock}, until another task signals that
 * something changed. asyncio's {@code notify(n)} / {@code notify_all()} are {@link #signal(int)} /
 * {@link #signalAll()} here ({@code Object.notify} is taken).
 *
 * <pre>{@code
 * cond.withLock(() -> {
 *     cond.awaitUntil(() -> !buffer.isEmpty());
 *     return buffer.removeFirst();
 * });
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link #await()} requires the caller to hold the lock; it releases the lock, waits for a
 *       signal, and re-acquires the lock before it returns, <em>also when it throws</em>: even a
 *       cancelled waiter holds the lock again when its {@code CancelledException} propagates, so the
 *       caller's {@code finally} can release it (asyncio does the same).</li>
 *   <li>Waiters are signalled in FIFO order. A cancelled waiter never consumes a signal:
 *       {@link #signal(int)} skips it and wakes the next one.</li>
 *   <li>{@link #signal} requires the caller to hold the lock, as in asyncio.</li>
 * </ul>
 *
 * <h2>Thread-safety</h2>
 * As {@link Lock}: shareable by tasks of different loops; every method except the queries must be
 * called from a task (the lock has a task as its owner).
 *
 * @since 0.1.0
 */
public final class Condition {

    private final String name;
    private final Lock lock;
    private final ReentrantLock guard = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** A condition named {@code Condition-<n>} with a lock of its own. */
    public Condition() {
        this(null, null);
    }

    /** A condition with a name and a lock of its own. */
    public Condition(@Nullable String name) {
        this(name, null);
    }

    /** A condition with a name that uses {@code lock} (several conditions may share one lock). */
    public Condition(@Nullable String name, @Nullable Lock lock) {
        this.name = Names.orDefault(name, "Condition");
        this.lock = lock != null ? lock : new Lock(this.name + ".lock");
    }

    /** The condition's name. */
    public String name() {
        return name;
    }

    /** The underlying lock. */
    public Lock lock() {
        return lock;
    }

    /** {@link Lock#acquire()} of the underlying lock. */
    public void acquire() {
        lock.acquire();
    }

    /** {@link Lock#release()} of the underlying lock. */
    public void release() {
        lock.release();
    }

    /** {@link Lock#withLock(AsyncCallable)} of the underlying lock. */
    public <T extends @Nullable Object, E extends Exception> T withLock(AsyncCallable<T, E> body) throws E {
        return lock.withLock(body);
    }

    /** {@link Lock#withLock(AsyncRunnable)} of the underlying lock. */
    public <E extends Exception> void withLock(AsyncRunnable<E> body) throws E {
        lock.withLock(body);
    }

    /**
     * Releases the lock, waits for a {@link #signal}, re-acquires the lock. An await point.
     *
     * @throws dev.taskloop.core.CancelledException if the caller was cancelled (it holds the lock again)
     * @throws IllegalStateException if the caller does not hold the lock
     */
    public void await() {
        Waiter.checkpoint("Condition.await()");
        requireOwner("await()");
        Waiter w;
        guard.lock();
        try {
            w = Waiter.begin("Condition.await()", "condition", name, null);
            waiters.add(w);
        } finally {
            guard.unlock();
        }
        lock.release(); // after registering, so that no signal between the two is missed
        Object v = w.await();
        if (v == Waiter.CANCELLED) {
            guard.lock();
            try {
                waiters.remove(w);
            } finally {
                guard.unlock();
            }
        }
        // Take the lock back whatever happened, out of reach of the cancellation.
        CancelScope.shielded().run(lock::acquire);
        if (v == Waiter.CANCELLED) {
            throw w.cancellation();
        }
    }

    /**
     * Waits until {@code predicate} holds (asyncio's {@code wait_for}); checks it first, and again
     * after every wake-up, holding the lock each time.
     */
    public void awaitUntil(BooleanSupplier predicate) {
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /**
     * Wakes up to {@code n} waiting tasks that were not cancelled (asyncio's {@code notify(n)}).
     *
     * @return how many were woken
     * @throws IllegalStateException if the caller does not hold the lock
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public int signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("condition '" + name + "': signal(n) needs n >= 0, but got " + n);
        }
        requireOwner("signal()");
        int woken = 0;
        guard.lock();
        try {
            Waiter w;
            while (woken < n && (w = waiters.poll()) != null) {
                if (w.wake(Boolean.TRUE)) {
                    woken++;
                }
            }
        } finally {
            guard.unlock();
        }
        return woken;
    }

    /** {@link #signal(int) signal(1)}. */
    public int signal() {
        return signal(1);
    }

    /** Wakes every waiting task (asyncio's {@code notify_all()}). */
    public int signalAll() {
        return signal(Integer.MAX_VALUE);
    }

    /** How many tasks wait now. */
    public int waiting() {
        guard.lock();
        try {
            return waiters.size();
        } finally {
            guard.unlock();
        }
    }

    private void requireOwner(String op) {
        Task<?> me = Task.current();
        Task<?> o = lock.owner();
        if (me == null || o != me) {
            throw new IllegalStateException("condition '" + name + "': " + op + " requires its lock '" + lock.name()
                    + "' to be held by the caller, but " + (o == null ? "it is not locked" : "it is held by " + Describe.task(o))
                    + " and the caller is " + Names.caller(me) + "; acquire() it first");
        }
    }

    @Override
    public String toString() {
        return "Condition[" + name + ", " + lock + ", " + waiting() + " waiting]";
    }
}
