package dev.taskloop.core;

import dev.taskloop.core.spi.Describe;

/**
 * Thrown by {@link Task#join()} (and {@link Task#result()}, {@link Async#gather}) when the task
 * ended with an exception; {@link #getCause()} is that exception, unchanged. Wrapping keeps the
 * joiner's own stack trace and never hides a checked exception behind an unchecked signature.
 *
 * @since 0.1.0
 */
public class TaskFailedException extends RuntimeException {

    private final transient Task<?> task;

    public TaskFailedException(Task<?> task, Throwable cause) {
        super(Describe.task(task) + " failed: " + cause, cause);
        this.task = task;
    }

    /** The task that failed. */
    public Task<?> task() {
        return task;
    }
}
