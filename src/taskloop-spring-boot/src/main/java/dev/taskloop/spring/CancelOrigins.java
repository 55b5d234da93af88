package dev.taskloop.spring;

import dev.taskloop.core.CancelOrigin;

/**
 * The cancellation origins the Spring integration adds to the core's ({@link CancelOrigin}): what
 * the {@code taskloop} endpoint shows as a cancelled task's {@code cause}.
 *
 * @since 0.1.0
 */
public final class CancelOrigins {

    /** Its supervised group restarted it (one-for-all, rest-for-one) or stopped. */
    public static final CancelOrigin SUPERVISOR = CancelOrigin.of("supervisor");
    /** It is a singleton, and its replica lost (or, stopping, gave up) the leadership of its election. */
    public static final CancelOrigin LEADERSHIP = CancelOrigin.of("leadership");
    /** An operator cancelled it, through the {@code taskloop} endpoint. */
    public static final CancelOrigin OPERATOR = CancelOrigin.of("operator");

    private CancelOrigins() {
    }
}
