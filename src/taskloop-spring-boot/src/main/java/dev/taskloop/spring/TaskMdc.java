package dev.taskloop.spring;

import dev.taskloop.core.Task;
import dev.taskloop.core.spi.LoopListener;
import org.slf4j.MDC;

/**
 * Puts the task's name and loop in the logging MDC ({@value #TASK}, {@value #LOOP}) on the task's
 * own thread before it runs, so every log line a task writes says which task wrote it. Each task
 * is a thread of its own, so the entries last for the task's life and never leak to another.
 *
 * @since 0.1.0
 */
public final class TaskMdc implements LoopListener {

    /** MDC key of the task's name. */
    public static final String TASK = "taskloop.task";
    /** MDC key of the loop's name. */
    public static final String LOOP = "taskloop.loop";

    @Override
    public void taskStarting(Task<?> task) {
        MDC.put(TASK, task.name());
        MDC.put(LOOP, task.loop().name());
    }
}
