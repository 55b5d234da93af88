package dev.taskloop.actuate;

import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.spi.TaskSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Why a task ended, as the {@code taskloop} endpoint shows it: {@code completed}, {@code failed}, or
 * for a cancelled task the label of its cancellation's {@link CancelOrigin} — who cancelled it. The
 * origin is a type the core and the integrations give every cancellation; no message is read.
 *
 * @since 0.1.0
 */
public final class EndCause {

    /** The cause of a task that returned. */
    public static final String COMPLETED = "completed";
    /** The cause of a task that threw. */
    public static final String FAILED = "failed";

    private EndCause() {
    }

    /** Why {@code task} ended; {@code null} if it has not ended. */
    public static @Nullable String of(TaskSnapshot task) {
        return switch (task.state()) {
            case COMPLETED -> COMPLETED;
            case FAILED -> FAILED;
            case CANCELLED -> origin(task.cancelReason()).label();
            default -> null;
        };
    }

    /** The origin of a cancellation; a cancellation without a reason is the application's. */
    static CancelOrigin origin(@Nullable CancelReason reason) {
        return reason == null ? CancelOrigin.APPLICATION : reason.origin();
    }
}
