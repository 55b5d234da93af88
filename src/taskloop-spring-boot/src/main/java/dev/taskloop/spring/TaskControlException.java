package dev.taskloop.spring;

/**
 * An operation of {@link DeclaredTask} that its state does not allow (pausing a task that ended,
 * triggering a run while one is under way, operating a singleton on a replica that does not lead it...).
 * The message names the task, its state and what to do instead; the {@code taskloop} endpoint answers
 * {@code 409} with it.
 *
 * @since 0.1.0
 */
public class TaskControlException extends IllegalStateException {

    public TaskControlException(String message) {
        super(message);
    }
}
