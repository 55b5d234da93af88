package dev.taskloop.core.sync;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.AsyncRunnable;
import dev.taskloop.core.Task;
import dev.taskloop.core.internal.Primitives;
import dev.taskloop.core.internal.Waiter;
import dev.taskloop.core.spi.Describe;
import dev.taskloop.core.spi.TaskSnapshot;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's {@code Lock}: mutual exclusion between tasks across await points. Code between two
 * await points already runs alone on its loop; a lock is for a critical section that awaits
 * (a read-modify-write around a database call, a connection used by one task at a time).
 *
 * <pre>{@code
 * Lock lock = new Lock("ledger");
 * lock.withLock(() -> {                 // or: lock.acquire(); try { ... } finally { lock.release(); }
 *     long balance = Async.offload(() -> repo.balance(id));
 *     Async.offload(() -> repo.store(id, balance + amount));
 * });
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link #acquire()} is an await point: it checks for cancellation first, takes a free lock
 *       at once, and otherwise waits, releasing the baton. Waiters get the lock in FIFO order:
 *       {@link #release()} hands it straight to the first waiter, so no task can barge in between.</li>
 *   <li>A waiter that is cancelled never takes the lock: the hand-off skips it and goes to the next
 *       one. A waiter that was handed the lock keeps it even if a cancellation arrives afterwards;
 *       its next await point throws, and its {@code finally} releases.</li>
 *   <li>The lock has an <em>owner</em>, the task that acquired it (asyncio has none). Only the owner
 *       may release it; anything else is an {@link IllegalStateException} that names the lock, its
 *       owner and the caller. It is not reentrant: acquiring it again from its owner fails at once
 *       instead of deadlocking.</li>
 *   <li>A task that ends while holding the lock is reported (log, and
 *       {@link dev.taskloop.core.spi.LoopListener#lockAbandoned}). The lock stays locked, as a
 *       {@code java.util.concurrent} lock does when its thread dies: releasing it for the dead owner
 *       could expose a half-done update. Release in {@code finally}, or use {@link #withLock}.</li>
 *   <li>A task waiting for the lock shows in its snapshot as awaiting {@code lock <name> held by
 *       task '<owner>' (id n)}, kept up to date as the lock changes hands.</li>
 * </ul>
 *
 * <h2>Thread-safety</h2>
 * A lock may be shared by tasks of different loops (an {@link dev.taskloop.core.EventLoopGroup}):
 * its state is guarded by a small internal lock that is never held across an await, and waking a
 * waiter of another loop is thread-safe. Every method must be called from a Taskloop task, except
 * {@link #isLocked()}, {@link #owner()} and {@link #toString()}.
 *
 * @since 0.1.0
 */
public final class Lock {

    private static final Object GRANTED = new Object();

    private final String name;
    private final ReentrantLock guard = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final Consumer<Task<?>> abandonWatch = this::ownerEnded;
    private volatile @Nullable Task<?> owner;

    /** A lock named {@code Lock-<n>}. */
    public Lock() {
        this(null);
    }

    /** A lock with a name, shown in snapshots and errors. */
    public Lock(@Nullable String name) {
        this.name = Names.orDefault(name, "Lock");
    }

    /** The lock's name. */
    public String name() {
        return name;
    }

    /**
     * Acquires the lock, waiting for it if another task holds it. An await point.
     *
     * @throws dev.taskloop.core.CancelledException if the caller is cancelled (before or while waiting); it then does not hold the lock
     * @throws IllegalStateException if the caller is not a task, or already holds this lock
     */
    public void acquire() {
        Waiter.checkpoint("Lock.acquire()");
        Task<?> me = Task.current();
        Waiter w;
        guard.lock();
        try {
            Task<?> o = owner;
            if (o == null) {
                takeOwnership(me);
                return;
            }
            if (o == me) {
                throw reentry(me, "acquire()");
            }
            w = Waiter.begin("Lock.acquire()", "lock", name, o);
            waiters.add(w);
        } finally {
            guard.unlock();
        }
        w.awaitIn(waiters, guard);
        // release() made us the owner before it woke us.
    }

    /**
     * Acquires the lock if it is free, without waiting.
     *
     * @return whether the caller now holds the lock
     * @throws IllegalStateException if the caller is not a task, or already holds this lock
     */
    public boolean tryAcquire() {
        Task<?> me = requireTask("Lock.tryAcquire()");
        guard.lock();
        try {
            Task<?> o = owner;
            if (o == null) {
                takeOwnership(me);
                return true;
            }
            if (o == me) {
                throw reentry(me, "tryAcquire()");
            }
            return false;
        } finally {
            guard.unlock();
        }
    }

    /**
     * Releases the lock; if tasks wait for it, the first of them (that was not cancelled) becomes
     * the owner. Not an await point.
     *
     * @throws IllegalStateException if the caller is not the task that holds the lock
     */
    public void release() {
        Task<?> me = Task.current();
        guard.lock();
        try {
            Task<?> o = owner;
            if (o == null) {
                throw new IllegalStateException("lock '" + name + "' is not locked, so " + Names.caller(me)
                        + " cannot release it: release() must follow a successful acquire() by the same task");
            }
            if (o != me) {
                throw new IllegalStateException("lock '" + name + "' is held by " + Describe.task(o) + ", so "
                        + Names.caller(me) + " cannot release it: only the task that acquired a Lock may release it");
            }
            Primitives.unwatch(o, abandonWatch);
            owner = null;
            Waiter w;
            while ((w = waiters.poll()) != null) {
                if (w.wake(GRANTED)) {
                    takeOwnership(w.task());
                    for (Waiter rest : waiters) {
                        Primitives.setHolder(rest, w.task());
                    }
                    return;
                }
            }
        } finally {
            guard.unlock();
        }
    }

    /** Runs {@code body} holding the lock (asyncio's {@code async with lock}); releases it however the body ends. */
    public <T extends @Nullable Object, E extends Exception> T withLock(AsyncCallable<T, E> body) throws E {
        acquire();
        try {
            return body.call();
        } finally {
            release();
        }
    }

    /** {@link #withLock(AsyncCallable)} for a body without a result. */
    public <E extends Exception> void withLock(AsyncRunnable<E> body) throws E {
        acquire();
        try {
            body.run();
        } finally {
            release();
        }
    }

    /** Whether a task holds the lock (asyncio's {@code locked()}); any thread. */
    public boolean isLocked() {
        return owner != null;
    }

    /** The task holding the lock, or {@code null}; any thread. */
    public @Nullable Task<?> owner() {
        return owner;
    }

    /** Whether the calling task holds the lock. */
    public boolean isHeldByCurrentTask() {
        Task<?> o = owner;
        return o != null && o == Task.current();
    }

    /** How many tasks wait for the lock now (cancelled ones may be counted until they have left). */
    public int waiting() {
        guard.lock();
        try {
            return waiters.size();
        } finally {
            guard.unlock();
        }
    }

    private void takeOwnership(Task<?> t) {
        owner = t;
        Primitives.watch(t, abandonWatch);
    }

    private IllegalStateException reentry(Task<?> me, String op) {
        return new IllegalStateException("lock '" + name + "' is already held by " + Describe.task(me)
                + ", which called " + op + " again: a Lock is not reentrant, so this would wait forever");
    }

    private static Task<?> requireTask(String what) {
        Task<?> me = Task.current();
        if (me == null) {
            Waiter.checkpoint(what); // throws the core's "must be called from a Taskloop task" error
        }
        return me;
    }

    /** The owner ended: the lock is abandoned. Runs on the ending task's thread. */
    private void ownerEnded(Task<?> t) {
        int n;
        guard.lock();
        try {
            if (owner != t) {
                return;
            }
            n = waiters.size();
        } finally {
            guard.unlock();
        }
        TaskSnapshot s = t.snapshot();
        Primitives.log().log(System.Logger.Level.ERROR, () -> Describe.task(t) + " on event loop '" + t.loop().name()
                + "' ended (" + s.state() + ") while holding lock '" + name + "'; the lock stays locked and the "
                + n + " task(s) waiting for it will wait until cancelled: release a Lock in a finally block, or use withLock()");
        Primitives.report(t.loop(), "lockAbandoned", l -> l.lockAbandoned(s, name, n));
    }

    @Override
    public String toString() {
        Task<?> o = owner;
        return "Lock[" + name + (o == null ? ", unlocked" : ", held by " + Describe.task(o)) + "]";
    }
}
