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
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The await points and combinators a task uses, asyncio's module-level functions: {@link #sleep},
 * {@link #yieldNow}, {@link #await}, {@link #offload}, {@link #spawn}, {@link #gather},
 * {@link #waitFirst}, {@link #asCompleted}, {@link #shield}, {@link #withTimeout}.
 *
 * <p>Every method here must be called from a Taskloop task; from any other thread it throws
 * {@link IllegalStateException} saying so. Every await point first checks for cancellation: inside
 * a cancelled scope it throws {@link CancelledException} instead of waiting.
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
     * caller is cancelled while it waits, the stage is cancelled too when it is a
     * {@link java.util.concurrent.Future} (asyncio's {@code wrap_future}).
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
     * not cancelled (use a {@link TaskGroup} for that). If the caller is cancelled, every task is
     * cancelled and awaited, so their {@code finally} blocks have run when the caller's
     * {@link CancelledException} is thrown.
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
     * Waits until at least one task has ended and returns it (the first in collection order if
     * several have); the others keep running (asyncio's {@code wait(return_when=FIRST_COMPLETED)}).
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
        TaskImpl.require("Async.asCompleted()");
        return Waits.asCompleted(List.copyOf(tasks));
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
        return Timeout.after(delay).call(body); // never null for a cancellation: only the deadline cancels this timeout, and that throws
    }
}
