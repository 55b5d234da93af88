package dev.taskloop.core;

/**
 * Thrown at the edge of a {@link Timeout} whose deadline passed while its body was at an await
 * point (asyncio's {@code TimeoutError}), and by {@link Task#join(java.time.Duration)} when the task
 * is not done in time. The cause, when there is one, is the {@link CancelledException} the timeout
 * used to stop its body.
 */
public class TimeoutExpiredException extends RuntimeException {

    public TimeoutExpiredException(String message, Throwable cause) {
        super(message, cause);
    }
}
