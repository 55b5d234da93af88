package dev.taskloop.spring;

import org.jspecify.annotations.Nullable;
/**
 * A declared task or group failed more often than its restart intensity allows, and was given up on.
 *
 * @since 0.1.0
 */
public class RestartLimitExceededException extends RuntimeException {

    public RestartLimitExceededException(String message, @Nullable Throwable lastFailure) {
        super(message, lastFailure);
    }
}
