package dev.taskloop.actuate;

import dev.taskloop.core.spi.TaskSnapshot;
import java.util.regex.Pattern;

/**
 * Why a task ended, read from its final {@link TaskSnapshot}. For a cancelled task, who cancelled
 * it is told by the reason its cancellation carries, which the core, the supervisor and the
 * endpoint word in fixed ways (the tests of this class produce each one through the real runtime,
 * so a change of wording shows up there).
 */
public enum EndCause {
    /** The body returned. */
    COMPLETED("completed"),
    /** The body threw. */
    FAILED("failed"),
    /** An operator cancelled it through the {@code taskloop} endpoint. */
    OPERATOR("operator"),
    /** A timeout around it expired ({@code Async.withTimeout}, {@code Timeout}). */
    TIMEOUT("timeout"),
    /** Another task of its {@code TaskGroup} (or the group's body) failed. */
    SIBLING_FAILURE("sibling-failure"),
    /** Its loop was shut down (the application stopping). */
    SHUTDOWN("shutdown"),
    /** Its supervised group restarted it (one-for-all, rest-for-one) or stopped. */
    SUPERVISOR("supervisor"),
    /** The task joining it was cancelled, and cancelled it too (asyncio's {@code await task}). */
    JOINER("joiner-cancelled"),
    /** Application code called {@code cancel}. */
    APPLICATION("application"),
    /** It is a singleton and its replica lost (or, stopping, gave up) the leadership of its election. */
    LEADERSHIP("leadership");

    /**
     * The end of the reason the endpoint gives a cancellation: {@code cancelled by operator 'alice'
     * through the Actuator endpoint 'taskloop'}.
     */
    public static final String OPERATOR_REASON_SUFFIX = " through the Actuator endpoint 'taskloop'";

    private static final Pattern SHUTDOWN_REASON = Pattern.compile("event loop '.*' is shutting down", Pattern.DOTALL);
    private static final Pattern SUPERVISOR_REASON = Pattern.compile(
            "supervised group '.*' restarts it with task '.*' \\((ONE_FOR_ALL|REST_FOR_ONE|ONE_FOR_ONE)\\)|its supervised group stopped",
            Pattern.DOTALL);

    /** How the supervisor words the end of a singleton's leadership term. */
    private static final Pattern LEADERSHIP_REASON = Pattern.compile(
            "this replica (lost|resigns) the leadership of election '.*'(: .*)?", Pattern.DOTALL);

    /** How a task group words its abort: a child failed, or its body did. */
    private static final Pattern SIBLING_REASON = Pattern.compile(
            "(task '.*'|the body of task group '.*') failed: .*", Pattern.DOTALL);

    private final String label;

    EndCause(String label) {
        this.label = label;
    }

    /** The lower-case label shown by the endpoint ({@code operator}, {@code sibling-failure}...). */
    public String label() {
        return label;
    }

    /** Why {@code task} ended; {@code null} if it has not ended. */
    public static EndCause of(TaskSnapshot task) {
        return switch (task.state()) {
            case COMPLETED -> COMPLETED;
            case FAILED -> FAILED;
            case CANCELLED -> ofCancelReason(task.cancelReason());
            default -> null;
        };
    }

    /**
     * Who a cancellation came from, by its reason: the text given to {@code cancel(reason)}, which
     * {@link TaskSnapshot#cancelReason()} carries both while pending and after the end.
     */
    public static EndCause ofCancelReason(String reason) {
        if (reason == null) {
            return APPLICATION;
        }
        if (reason.endsWith(OPERATOR_REASON_SUFFIX)) {
            return OPERATOR;
        }
        if (reason.equals("the deadline passed")) {
            return TIMEOUT;
        }
        if (SHUTDOWN_REASON.matcher(reason).matches()) {
            return SHUTDOWN;
        }
        if (SUPERVISOR_REASON.matcher(reason).matches()) {
            return SUPERVISOR;
        }
        if (reason.startsWith("the task joining it ('")) {
            return JOINER;
        }
        if (LEADERSHIP_REASON.matcher(reason).matches()) {
            return LEADERSHIP;
        }
        if (SIBLING_REASON.matcher(reason).matches()) {
            return SIBLING_FAILURE;
        }
        return APPLICATION;
    }
}
