package dev.taskloop.core;

/**
 * A callback scheduled with {@link EventLoop#callSoon}, {@link EventLoop#callLater} or
 * {@link EventLoop#callAt} (asyncio's {@code Handle} / {@code TimerHandle}). Thread-safe.
 *
 * @since 0.1.0
 */
public interface Handle {

    /**
     * Prevents the callback from running if it has not started yet.
     *
     * @return {@code true} if this call cancelled it; {@code false} if it had already run or been cancelled
     */
    boolean cancel();

    /** Whether {@link #cancel()} succeeded. */
    boolean isCancelled();

    /** The loop time at which a timer callback becomes ready; {@code Long.MIN_VALUE} for {@code callSoon}. */
    long when();
}
