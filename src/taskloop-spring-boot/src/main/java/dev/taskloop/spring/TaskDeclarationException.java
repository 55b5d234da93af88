package dev.taskloop.spring;

/**
 * A {@code @BackgroundTask} or {@code @SupervisedGroup} is used wrongly; thrown at startup. The
 * message names the bean and the method, says what is wrong and how to fix it; {@link #action()}
 * is the fix alone, for Spring Boot's failure report.
 *
 * @since 0.1.0
 */
public class TaskDeclarationException extends IllegalStateException {

    private final String action;

    public TaskDeclarationException(String description, String action) {
        super(description + "; " + action);
        this.action = action;
    }

    /** The problem, without the fix. */
    public String description() {
        String m = getMessage();
        return m.substring(0, m.length() - action.length() - 2);
    }

    /** How to fix it. */
    public String action() {
        return action;
    }
}
