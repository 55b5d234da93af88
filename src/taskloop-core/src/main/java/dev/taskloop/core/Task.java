package dev.taskloop.core;

import dev.taskloop.core.internal.TaskImpl;
import dev.taskloop.core.spi.TaskSnapshot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A unit of concurrent work on an {@link EventLoop}: asyncio's {@code Task}, running on its own
 * virtual thread (so it has its own call stack) but only while it holds its loop's baton.
 *
 * <h2>States</h2>
 *
 * <pre>
 *                 spawn
 *                   |
 *                   v        gets the baton            await point (sleep, join, queue ...)
 *               +-------+ ------------------> +---------+ ------------------> +--------+
 *               | READY |                     | RUNNING |                     | ASLEEP |
 *               +-------+ &lt;------------------ +---------+ &lt;-+                 +--------+
 *                   ^       yieldNow()            |         |                      |
 *                   |                             |         +-- (next step) &lt;--+   |
 *                   +-------------- what it awaited is done, or it is cancelled ---+
 *                                                 |
 *                     body returns / throws / is cancelled
 *                                                 v
 *                          COMPLETED  |  FAILED  |  CANCELLED     (final)
 * </pre>
 *
 * <table>
 *   <caption>State table</caption>
 *   <tr><th>State</th><th>{@link #isDone()}</th><th>Meaning</th></tr>
 *   <tr><td>{@code READY}</td><td>false</td><td>in the loop's FIFO ready queue, waiting for the
 *       baton; every task starts here</td></tr>
 *   <tr><td>{@code RUNNING}</td><td>false</td><td>holds the baton; no other task of the loop runs</td></tr>
 *   <tr><td>{@code ASLEEP}</td><td>false</td><td>parked at an await point, or running a blocking
 *       call through {@link Async#offload}; does not hold the baton</td></tr>
 *   <tr><td>{@code COMPLETED}</td><td>true</td><td>the body returned; {@link #result()} is its value</td></tr>
 *   <tr><td>{@code FAILED}</td><td>true</td><td>the body threw; {@link #exception()} is what it threw</td></tr>
 *   <tr><td>{@code CANCELLED}</td><td>true</td><td>the body ended by a {@link CancelledException} (or
 *       never started because it was cancelled first)</td></tr>
 * </table>
 *
 * <p>{@link #cancel()} does not change the state by itself: it requests cancellation, which the
 * task sees at its next await point ({@link #isCancelRequested()} turns true at once).
 *
 * <h2>Ownership</h2>
 *
 * Every task is owned by its loop, or by the {@link TaskGroup} it was spawned in, until it ends: a
 * task that nobody references still runs to the end, and is never collected while it runs. A task
 * that failed and whose exception nobody retrieved ({@code join}, {@code result}, {@code exception},
 * a group, {@code gather}, a done callback or the {@link #toCompletableFuture() future view}) is
 * reported through the loop's listeners and the log when it is garbage-collected, once
 * (asyncio's "Task exception was never retrieved").
 *
 * <h2>Thread-safety</h2>
 *
 * Only the loop creates tasks (through {@code spawn}); do not implement this interface. All methods may be called from any thread. {@link #join()} is an await point inside a task and a
 * plain blocking wait elsewhere; it must not be called from a loop callback.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>{@link #cancel()} only requests: a task that never reaches an await point runs on, and one
 *       that catches {@link CancelledException} and carries on is reported, not stopped.</li>
 *   <li>A failure nobody retrieved is reported when the task is garbage-collected, which may be
 *       long after it failed, or never while something still references the task.</li>
 *   <li>A task cannot join itself, and {@code join()} from a loop callback throws: callbacks must
 *       not block the loop ({@link #onDone} is the callback's way to wait).</li>
 * </ul>
 *
 * @param <T> the result type
 * @since 0.1.0
 */
public interface Task<T extends @Nullable Object> {

    /**
     * The lifecycle states; see the class documentation for the transitions.
     *
     * @since 0.1.0
     */
    enum State {
        READY, RUNNING, ASLEEP, COMPLETED, FAILED, CANCELLED;

        /** Whether this is one of the three final states. */
        public boolean isDone() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }
    }

    /**
     * The task running on the current thread, or {@code null} when the caller is not a Taskloop
     * task (asyncio's {@code current_task()}). Bound with a {@link ScopedValue}, so it is cheap and
     * also visible to code that the task calls.
     */
    static @Nullable Task<?> current() {
        return TaskImpl.current();
    }

    /** Identifier, unique in this JVM; never reused. */
    long id();

    /** The name given at spawn, or {@code Task-<id>}. */
    String name();

    /** The loop this task runs on (it never moves). */
    EventLoop loop();

    /** The current state; see the class documentation. */
    State state();

    /** Whether the task has ended ({@code COMPLETED}, {@code FAILED} or {@code CANCELLED}). */
    default boolean isDone() {
        return state().isDone();
    }

    /** Whether {@link #cancel()} was called, or a scope enclosing the task was cancelled. */
    boolean isCancelRequested();

    /**
     * Waits for the task to end and returns its result.
     *
     * <p>Inside a task this is an await point: the caller releases the baton while it waits. If the
     * <em>caller</em> is cancelled, while it waits or already when it calls this, the cancellation is
     * passed on to this task (asyncio's {@code await task}; use {@link Async#shield(Task)} to prevent
     * that), the caller keeps waiting until this task has ended, then throws
     * {@link CancelledException}. A task that has already ended returns its outcome at once. It
     * returns once the end has been announced to the loop's listeners. Outside a task it blocks the
     * calling thread.
     *
     * @throws TaskFailedException if the task failed (the cause is what it threw)
     * @throws CancelledException if the task was cancelled, or the caller was
     * @throws IllegalStateException if a task joins itself, or a loop callback calls it
     */
    T join();

    /**
     * Like {@link #join()}, but gives up after {@code timeout} (loop time inside a task, wall time
     * outside) with a {@link TimeoutExpiredException}. Giving up does not cancel this task.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    T join(Duration timeout);

    /**
     * The result of a task that has ended, without waiting (asyncio's {@code Task.result()}).
     *
     * @throws IllegalStateException if the task has not ended yet
     * @throws TaskFailedException if it failed
     * @throws CancelledException if it was cancelled
     */
    T result();

    /**
     * What the task threw, or {@code null} if it completed normally, without waiting.
     *
     * @throws IllegalStateException if the task has not ended yet
     * @throws CancelledException if it was cancelled (as asyncio does)
     */
    @Nullable Throwable exception();

    /**
     * Requests cancellation: the task's next await point (or the current one, if it is asleep)
     * throws {@link CancelledException}; its {@code finally} blocks run. Thread-safe; from outside
     * the loop it takes effect at the loop's next turn.
     *
     * @return {@code false} if the task had already ended, {@code true} otherwise
     */
    default boolean cancel() {
        return cancel("cancelled");
    }

    /** {@link #cancel()} with the reason that {@link CancelledException} and snapshots will show (an {@linkplain CancelReason#application application} reason). */
    default boolean cancel(String reason) {
        return cancel(CancelReason.application(reason));
    }

    /**
     * {@link #cancel()} with a reason and its origin, which {@link CancelledException#reason()} and
     * snapshots carry. A task cancelled several times keeps the first reason.
     */
    boolean cancel(CancelReason reason);

    /**
     * Registers a callback run on the loop (as by {@link EventLoop#callSoon}) once the task has
     * ended; immediately scheduled if it already has. Callbacks run in registration order.
     */
    void onDone(Consumer<? super Task<T>> callback);

    /**
     * A {@link CompletableFuture} completed when the task ends: normally with its result,
     * exceptionally with what it threw, or cancelled. Cancelling the future cancels the task.
     * Obtaining the view counts as retrieving a failure.
     */
    CompletableFuture<T> toCompletableFuture();

    /** An immutable picture of the task now: state, times, what it awaits; see {@link TaskSnapshot}. */
    TaskSnapshot snapshot();

    /**
     * The task's live stack: where it waits, or what it runs now. Empty once the task has ended
     * or before it first ran.
     */
    StackTraceElement[] stackTrace();
}
