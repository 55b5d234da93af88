package dev.taskloop.spring;

import dev.taskloop.core.Task;

/**
 * What a {@link dev.taskloop.spring.BackgroundTask} method may take as its one
 * parameter: who it is, which attempt this is, and a way to tell readiness it has started.
 * Valid inside the task that received it.
 *
 * @since 0.1.0
 */
public interface TaskContext {

    /** The declared name. */
    String name();

    /** 1 for the first run, 2 after the first restart, and so on. */
    int attempt();

    /** For a periodic task, which run this is (1, 2, ...); 1 for other tasks. */
    long run();

    /** Whether the task has been asked to stop (shutdown, an operator, its group). */
    boolean isCancelRequested();

    /**
     * Tells readiness this task has started (Trio's {@code task_status.started()}); only matters
     * with {@code awaitStarted = true}. Idempotent; a restarted task need not call it again.
     */
    void started();

    /** The Taskloop task running this attempt. */
    Task<?> task();
}
