package dev.taskloop.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at the edge of a {@link Timeout} whose deadline passed while its body was at an await
 * point (asyncio's {@code TimeoutError}), and by {@link Task#join(java.time.Duration)} when the task
 * is not done in time. The cause, when there is one, is the {@link CancelledException} the timeout
 * used to stop its body.
 *
 * @since 0.1.0
 */
public class TimeoutExpiredException extends RuntimeException {

    public TimeoutExpiredException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
