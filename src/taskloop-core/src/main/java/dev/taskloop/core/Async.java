package dev.taskloop.core;

import dev.taskloop.core.internal.AwaitPoints;
import dev.taskloop.core.internal.Bodies;
import dev.taskloop.core.internal.Checks;
import dev.taskloop.core.internal.Joining;
import dev.taskloop.core.internal.TaskImpl;
import dev.taskloop.core.internal.Waits;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The await points and combinators a task uses, asyncio's module-level functions: {@link #sleep},
 * {@link #yieldNow}, {@link #await}, {@link #offload}, {@link #spawn}, {@link #gather},
 * {@link #wait(Collection, ReturnWhen) wait}, {@link #waitFirst}, {@link #asCompleted}, {@link #shield}, {@link #withTimeout}.
 *
 * <p>Every method here must be called from a Taskloop task; from any other thread it throws
 * {@link IllegalStateException} saying so. Every await point first checks for cancellation: inside
 * a cancelled scope it throws {@link CancelledException} instead of waiting. An await point that
 * waits for something cancellable treats a cancellation that is already pending exactly as one
 * that comes while it waits: {@link Task#join()}, {@link #gather} and {@link #await} cancel what
 * they were about to wait for (and {@code join} and {@code gather} wait until it has ended) before
 * the caller's {@link CancelledException} is thrown; {@link #shield}, {@link #wait(Collection, ReturnWhen) wait},
 * {@link #waitFirst} and {@link #asCompleted} leave it running.
 *
 * @since 0.1.0
 */
public final class Async {

    private Async() {
    }

    /**
     * Suspends the calling task for {@code delay} of loop time, releasing the baton (asyncio's
     * {@code sleep}). {@code sleep(Duration.ZERO)} is {@link #yieldNow()}.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static void sleep(Duration delay) {
        long nanos = Checks.saturatedNanos(Checks.nonNegative("sleep delay", delay));
        AwaitPoints.sleep(TaskImpl.require("Async.sleep()"), nanos);
    }

    /**
     * Lets every task that is ready now run before the caller continues (asyncio's
     * {@code sleep(0)}); returns at once when no other task is ready. A cancellation checkpoint.
     */
    public static void yieldNow() {
        AwaitPoints.yieldNow(TaskImpl.require("Async.yieldNow()"));
    }

    /**
     * Waits for {@code stage} to complete, releasing the baton, and returns its value. If the
     * caller is cancelled, while it waits or already when it calls this, the stage is cancelled too
     * when it is a {@link java.util.concurrent.Future} (asyncio's {@code wrap_future}); a task's
     * {@linkplain Task#toCompletableFuture() future view} is joined instead, so the task has ended
     * when the caller's {@link CancelledException} is thrown.
     *
     * @throws java.util.concurrent.CompletionException if the stage failed (cause: its exception)
     * @throws java.util.concurrent.CancellationException if the stage was cancelled
     */
    public static <T extends @Nullable Object> T await(CompletionStage<T> stage) {
        return AwaitPoints.await(TaskImpl.require("Async.await()"), stage);
    }

    /**
     * Runs a blocking call without blocking the loop (asyncio's {@code to_thread}): releases the
     * baton, runs {@code work} on the task's own virtual thread, then queues for the baton again.
     * Meanwhile the task is {@code ASLEEP} and the other tasks run. If the task is cancelled while
     * {@code work} runs, the thread is interrupted, and once {@code work} returns the task throws
     * {@link CancelledException} (with {@code work}'s exception, if any, suppressed).
     *
     * <p>{@code work} runs outside the loop: it must not touch state that other tasks touch
     * without synchronization, and must not call await points.
     *
     * @throws E what {@code work} threw, unchanged
     */
    public static <T extends @Nullable Object, E extends Exception> T offload(AsyncCallable<T, E> work) throws E {
        return AwaitPoints.offload(TaskImpl.require("Async.offload()"), work);
    }

    /** {@link #offload(AsyncCallable)} for blocking work without a result. */
    public static <E extends Exception> void offload(AsyncRunnable<E> work) throws E {
        offload(Bodies.callable(work));
    }

    /** Spawns a task on the caller's loop; see {@link EventLoop#spawn(String, AsyncCallable)}. */
    public static <T extends @Nullable Object> Task<T> spawn(@Nullable String name, AsyncCallable<T, ?> body) {
        return TaskImpl.require("Async.spawn()").loop().spawn(name, body);
    }

    /** Spawns a task without a result on the caller's loop. */
    public static Task<Void> spawn(@Nullable String name, AsyncRunnable<?> body) {
        return TaskImpl.require("Async.spawn()").loop().spawn(name, body);
    }

    /**
     * Waits for every task and returns their results in order (asyncio's {@code gather}). The first
     * failure is thrown as soon as it happens, as {@link TaskFailedException}; the other tasks are
     * not cancelled (use a {@link TaskGroup} for that). If the caller is cancelled, while it waits
     * or already when it calls this, every task is cancelled and awaited, so their {@code finally}
     * blocks have run when the caller's {@link CancelledException} is thrown.
     */
    public static <T extends @Nullable Object> List<T> gather(Collection<? extends Task<? extends T>> tasks) {
        return Waits.gather(TaskImpl.require("Async.gather()"), List.copyOf(tasks));
    }

    /** {@link #gather(Collection)} for a fixed list of tasks. */
    public static List<@Nullable Object> gather(Task<?>... tasks) {
        return Waits.gather(TaskImpl.require("Async.gather()"), Arrays.asList(tasks));
    }

    /**
     * Waits for every task to end, whatever the outcome (asyncio's
     * {@code gather(return_exceptions=True)}), and returns them, all done, in order: ask each for
     * its {@link Task#state()}, {@link Task#result()} or {@link Task#exception()}. Cancellation of
     * the caller behaves as in {@link #gather(Collection)}.
     */
    public static <T, K extends Task<? extends T>> List<K> gatherSettled(Collection<K> tasks) {
        List<K> copy = List.copyOf(tasks);
        Waits.settle(TaskImpl.require("Async.gatherSettled()"), copy);
        return copy;
    }

    /**
     * Waits until {@code returnWhen} holds and returns the tasks split into those that have ended
     * and those still running (asyncio's {@code wait}). It cancels nothing: the pending tasks keep
     * running, and a cancellation of the caller leaves every task running. A task given twice is
     * waited for once. It does not retrieve failures: look at the done tasks' {@link Task#exception()}.
     *
     * @throws IllegalArgumentException if {@code tasks} is empty
     */
    public static <K extends Task<?>> WaitResult<K> wait(Collection<K> tasks, ReturnWhen returnWhen) {
        return waitAtMost(tasks, returnWhen, Long.MAX_VALUE);
    }

    /**
     * {@link #wait(Collection, ReturnWhen)} that returns after {@code timeout} of loop time at the
     * latest, with the tasks not done by then pending: as asyncio's {@code wait(timeout=...)}, it
     * throws no {@link TimeoutExpiredException}.
     *
     * @throws IllegalArgumentException if {@code tasks} is empty or {@code timeout} negative
     */
    public static <K extends Task<?>> WaitResult<K> wait(Collection<K> tasks, ReturnWhen returnWhen, Duration timeout) {
        return waitAtMost(tasks, returnWhen, Checks.saturatedNanos(Checks.nonNegative("Async.wait() timeout", timeout)));
    }

    private static <K extends Task<?>> WaitResult<K> waitAtMost(Collection<K> tasks, ReturnWhen returnWhen, long timeoutNanos) {
        Objects.requireNonNull(returnWhen, "returnWhen");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("Async.wait() needs at least one task, but got none");
        }
        return Waits.wait(TaskImpl.require("Async.wait()"), List.copyOf(tasks), returnWhen, timeoutNanos);
    }

    /**
     * Waits until at least one task has ended and returns it (the first in collection order if
     * several have); the others keep running. The shorthand of
     * {@link #wait(Collection, ReturnWhen) wait(tasks, FIRST_COMPLETED)}.
     *
     * @throws IllegalArgumentException if {@code tasks} is empty
     */
    public static <K extends Task<?>> K waitFirst(Collection<K> tasks) {
        return Waits.first(TaskImpl.require("Async.waitFirst()"), List.copyOf(tasks));
    }

    /**
     * The tasks in the order they end (asyncio's {@code as_completed}): each {@code next()} of the
     * returned iterable's iterator is an await point that returns the next task to end, done.
     */
    public static <K extends Task<?>> Iterable<K> asCompleted(Collection<K> tasks) {
        return Waits.asCompleted(List.copyOf(tasks), Long.MAX_VALUE);
    }

    /**
     * {@link #asCompleted(Collection)} within {@code timeout} of loop time from this call (asyncio's
     * {@code as_completed(timeout=...)}): the tasks that ended by then come out in the order they
     * ended, then each further {@code next()} throws {@link TimeoutExpiredException}, one for each
     * task that had not. Those tasks are not cancelled: they keep running.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <K extends Task<?>> Iterable<K> asCompleted(Collection<K> tasks, Duration timeout) {
        long nanos = Checks.saturatedNanos(Checks.nonNegative("Async.asCompleted() timeout", timeout));
        return Waits.asCompleted(List.copyOf(tasks), nanos);
    }

    /**
     * Joins {@code task} without passing the caller's cancellation on to it (asyncio's
     * {@code shield}): if the caller is cancelled, it stops waiting at once with
     * {@link CancelledException} and {@code task} keeps running.
     */
    public static <T extends @Nullable Object> T shield(Task<T> task) {
        return Joining.shielded(TaskImpl.require("Async.shield()"), task);
    }

    /**
     * Runs {@code body} inside {@link Timeout#after Timeout.after(delay)}.
     *
     * @throws TimeoutExpiredException if the delay passed while {@code body} was at an await point
     */
    public static <T extends @Nullable Object, E extends Exception> T withTimeout(Duration delay, AsyncCallable<T, E> body) throws E {
        TaskImpl.require("Async.withTimeout()"); // named as the caller wrote it, not as the scope it enters
        return Timeout.after(delay).call(body); // never null for a cancellation: only the deadline cancels this timeout, and that throws
    }
}
