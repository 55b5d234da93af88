package dev.taskloop.core.internal;

import dev.taskloop.core.CancelledException;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.Awaiting;
import org.jspecify.annotations.Nullable;

/**
 * One wait of the current task, for building loop-aware primitives (locks, queues, events) outside
 * this package. A primitive keeps its waiters in a queue; to hand a waiter something it calls
 * {@link #wake}, which succeeds for exactly one caller per wait (a cancellation may win first, in
 * which case the waker moves on to the next waiter, so a cancelled waiter never consumes anything).
 *
 * <pre>{@code
 * Waiter w = Waiter.begin(Awaiting.of("lock", name, now));   // throws if already cancelled
 * waiters.add(w);
 * Object v = w.awaitIn(waiters, guard);                      // releases the baton; on cancellation
 *                                                             // leaves waiters (under guard) and throws
 * }</pre>
 *
 * Thread-safety: {@link #begin} and {@link #await} are called by the waiting task; {@link #wake}
 * from any thread.
 *
 * @since 0.1.0
 */
public final class Waiter {

    /** What {@link #await} returns when a cancellation ended the wait. */
    public static final Object CANCELLED = TaskImpl.CANCEL;

    private final TaskImpl<?> task;
    private final long ticket;
    private final long since;

    private Waiter(TaskImpl<?> task, long ticket, long since) {
        this.task = task;
        this.ticket = ticket;
        this.since = since;
    }

    /**
     * Starts a cancellable wait of the current task.
     *
     * @param kind the await point, shown in snapshots ({@code lock}, {@code queue.get}...)
     * @param target what it waits on (a name), or empty
     * @param holder the task holding what it waits on, or {@code null}
     * @throws dev.taskloop.core.CancelledException if the task is already cancelled
     * @throws IllegalStateException if the caller is not a task; {@code what} names the operation
     */
    public static Waiter begin(String what, String kind, String target, @Nullable Task<?> holder) {
        TaskImpl<?> me = TaskImpl.require(what);
        long now = me.loop.ticker.read();
        Awaiting a = holder == null ? Awaiting.of(kind, target, now)
                : new Awaiting(kind, target, holder.id(), holder.name(), now);
        return new Waiter(me, me.beginWait(a, true, now), now);
    }

    /** The waiting task. */
    public Task<?> task() {
        return task;
    }

    /** Loop time the wait began. */
    public long since() {
        return since;
    }

    /** Ends the wait with {@code value}, unless something else ended it first; any thread. */
    public boolean wake(@Nullable Object value) {
        return task.wake(ticket, value, task.loop.ticker.read());
    }

    /** Releases the baton until woken; returns the waker's value, or {@link #CANCELLED}. */
    public @Nullable Object await() {
        return task.suspend(task.loop.ticker.read());
    }

    /**
     * {@link #await} for a waiter kept in {@code waiters} under {@code guard}: when a cancellation ends
     * the wait, removes it from there (holding the guard) and throws the cancellation; otherwise
     * returns the waker's value.
     */
    public @Nullable Object awaitIn(java.util.Collection<?> waiters, java.util.concurrent.locks.Lock guard) {
        Object v = await();
        if (v == CANCELLED) {
            guard.lock();
            try {
                waiters.remove(this);
            } finally {
                guard.unlock();
            }
            throw cancellation();
        }
        return v;
    }

    /** The exception to throw after {@link #await} returned {@link #CANCELLED}. */
    public CancelledException cancellation() {
        return task.cancellation();
    }

    /** Throws if the current task is inside a cancelled scope (a checkpoint without waiting). */
    public static void checkpoint(String what) {
        TaskImpl.require(what).checkCancelled();
    }

    /** The loop of the current task, for primitives that schedule or register with it. */
    public static Loop currentLoop(String what) {
        return TaskImpl.require(what).loop;
    }
}
