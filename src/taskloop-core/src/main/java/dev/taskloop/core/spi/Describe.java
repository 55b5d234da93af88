package dev.taskloop.core.spi;

import dev.taskloop.core.Task;

/**
 * How messages name a task: {@code task 'name' (id n)}. Every log line, error message and report
 * of the core names tasks with this phrase, and integrations should too (the name alone is
 * ambiguous: an ad-hoc task may share a declared task's name; the id alone tells people nothing).
 * The phrase is for people: code that needs a task's identity reads {@link TaskSnapshot#id()},
 * never this text.
 *
 * <pre>{@code
 * throw new IllegalStateException(Describe.task(t) + " is not running");   // task 'poller' (id 7) is not running
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Describe {

    private Describe() {
    }

    /** {@code task 'name' (id n)}. */
    public static String task(String name, long id) {
        return "task '" + name + "' (id " + id + ")";
    }

    /** {@link #task(String, long)} of a live or ended task. */
    public static String task(Task<?> task) {
        return task(task.name(), task.id());
    }

    /** {@link #task(String, long)} of the task a snapshot shows. */
    public static String task(TaskSnapshot task) {
        return task(task.name(), task.id());
    }
}
