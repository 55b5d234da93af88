package dev.taskloop.core.sync;

/**
 * Thrown by {@link Barrier#await()} when the barrier is broken: {@link Barrier#abort()} or
 * {@link Barrier#reset()} was called while the task waited, or before it arrived (asyncio's
 * {@code BrokenBarrierError}). Unchecked, unlike {@link java.util.concurrent.BrokenBarrierException}.
 *
 * @since 0.1.0
 */
public class BrokenBarrierException extends IllegalStateException {

    public BrokenBarrierException(String message) {
        super(message);
    }
}
