package dev.taskloop.spring;

/** A declared task or group failed more often than its restart intensity allows, and was given up on. */
public class RestartLimitExceededException extends RuntimeException {

    public RestartLimitExceededException(String message, Throwable lastFailure) {
        super(message, lastFailure);
    }
}
