package dev.taskloop.core;

import dev.taskloop.core.internal.Checks;
import dev.taskloop.core.internal.TimeoutScope;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * asyncio's {@code timeout()}: a {@link CancelScope} that cancels itself when the loop's time
 * reaches its deadline, and turns that cancellation into {@link TimeoutExpiredException} at its
 * edge, after the body's {@code finally} blocks have run.
 *
 * <pre>{@code
 * Timeout t = Timeout.after(Duration.ofSeconds(5));
 * String body = t.call(() -> client.fetch());      // TimeoutExpiredException after 5 s
 * }</pre>
 *
 * <h2>States</h2>
 * <pre>
 *   NEW --call()--> ENTERED --deadline passes--> EXPIRING --body ends--> EXPIRED
 *                      |                                     (throws TimeoutExpiredException if the
 *                      |                                      timeout's own cancellation ended the body)
 *                      +--body ends first--> EXITED
 * </pre>
 * {@link #expired()} is true in {@code EXPIRING} and {@code EXPIRED}; {@link #reschedule} is
 * allowed in {@code NEW} and {@code ENTERED} only.
 * The deadline of {@link #after} is computed when the scope is entered. Only this timeout's own
 * expiry becomes {@link TimeoutExpiredException}: if an enclosing scope is cancelled at the same
 * time, the {@link CancelledException} passes through unchanged.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>The deadline is checked at await points only: a body that computes without awaiting runs
 *       past it, and completes normally if it never awaits again.</li>
 *   <li>Catching {@link CancelledException} inside the body and carrying on defeats the timeout
 *       until the next await point.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public interface Timeout extends CancelScope {

    /**
     * A timeout that expires {@code delay} after it is entered.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    static Timeout after(Duration delay) {
        return new TimeoutScope(Checks.saturatedNanos(Checks.nonNegative("timeout delay", delay)), false);
    }

    /** A timeout that expires when {@link EventLoop#time()} reaches {@code deadline}. */
    static Timeout at(long deadline) {
        return new TimeoutScope(deadline, true);
    }

    /** A timeout without a deadline, to be set later with {@link #reschedule}. */
    static Timeout never() {
        return new TimeoutScope(Long.MAX_VALUE, true);
    }

    /** The deadline in loop time, if known (an {@link #after} timeout knows it once entered); empty for "never". */
    OptionalLong when();

    /**
     * Moves the deadline (loop time; {@code Long.MAX_VALUE} for never). A deadline already passed
     * expires the timeout at once.
     *
     * @throws IllegalStateException if the timeout has already expired or exited
     */
    void reschedule(long deadline);

    /** {@link #reschedule} to {@code delay} from now. */
    void rescheduleAfter(Duration delay);

    /** Whether the deadline passed while the body was running (asyncio's {@code expired()}). */
    boolean expired();
}
