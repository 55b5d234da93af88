package dev.taskloop.core;

import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown at an await point inside a cancelled {@link CancelScope} (which includes a cancelled
 * task), and by {@link Task#join()} of a task that ended cancelled.
 *
 * <p>Cancellation is level-triggered: as long as the code is inside the cancelled scope, every
 * await point throws it again, so catching it without rethrowing does not undo the cancellation,
 * it only delays it. {@code finally} blocks run as usual; a block that must await during cleanup
 * runs in a {@linkplain CancelScope#shielded() shielded} scope. A task that catches this exception
 * and then completes normally is reported as having swallowed its cancellation.
 *
 * <p>It extends the JDK's {@link CancellationException}, so code that handles cancelled
 * {@code Future}s handles it too.
 *
 * @since 0.1.0
 */
public class CancelledException extends CancellationException {

    private final transient @Nullable CancelScope scope;
    private final transient @Nullable CancelReason reason;

    /**
     * @param message what was cancelled and why
     * @param scope the scope whose cancellation this is, or {@code null} when it reports the end
     *     of another task (from {@code join()})
     */
    public CancelledException(String message, @Nullable CancelScope scope) {
        this(message, scope, null);
    }

    /**
     * @param message what was cancelled and why
     * @param scope the scope whose cancellation this is, or {@code null} when it reports the end
     *     of another task (from {@code join()})
     * @param reason the reason given to the cancellation, or {@code null} if unknown
     */
    public CancelledException(String message, @Nullable CancelScope scope, @Nullable CancelReason reason) {
        super(message);
        this.scope = scope;
        this.reason = reason;
    }

    /**
     * The reason given to the cancellation (who asked, and what they said): of the cancelled scope,
     * or, from {@code join()}, of the joined task's cancellation. {@code null} if unknown (an
     * exception made by application code).
     */
    public @Nullable CancelReason reason() {
        return reason;
    }

    /**
     * The cancelled scope this exception belongs to: the edge of that scope stops it (a plain
     * scope swallows it, a {@link Timeout} turns it into {@link TimeoutExpiredException}, a task's
     * own scope ends the task as cancelled). {@code null} for the exception that {@code join()}
     * throws for a task that was cancelled.
     */
    public @Nullable CancelScope scope() {
        return scope;
    }
}
