package dev.taskloop.core;

import java.util.List;

/**
 * All the failures of a {@link TaskGroup}, raised together when the group ends (asyncio's
 * {@code ExceptionGroup}): the children that failed, in the order they failed, and the body's own
 * exception if it threw one. Cancelled children are not failures. Each failure is also attached
 * as a suppressed exception so that a plain stack trace shows them all.
 *
 * @since 0.1.0
 */
public class TaskGroupException extends RuntimeException {

    private final transient List<Throwable> exceptions;

    @SuppressWarnings("this-escape") // addSuppressed on a fully built Throwable
    public TaskGroupException(String groupName, List<Throwable> exceptions) {
        super("unhandled errors in task group '" + groupName + "' (" + exceptions.size()
                + (exceptions.size() == 1 ? " sub-exception)" : " sub-exceptions)")
                + ": " + exceptions.getFirst(), exceptions.getFirst());
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions.subList(1, this.exceptions.size())) {
            addSuppressed(t);
        }
    }

    /** The failures, in the order they happened; never empty. */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
