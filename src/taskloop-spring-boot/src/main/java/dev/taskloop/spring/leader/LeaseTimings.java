package dev.taskloop.spring.leader;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a lease-based election keeps and hands over leadership, with the meaning of Kubernetes'
 * client-go leader election (whose defaults these are):
 *
 * <ul>
 *   <li>{@code leaseDuration}: how long a lease (or lock row) stays valid after its last renewal;
 *       another replica takes it over only once it has expired. The longest the replicas can be
 *       without a leader when the leader dies without giving up (crash, SIGKILL, network loss).</li>
 *   <li>{@code renewDeadline}: how long the leader keeps trying to renew before it stops leading by
 *       itself (its singletons are cancelled). Shorter than the lease duration, so that an isolated
 *       leader stops before another replica may start.</li>
 *   <li>{@code retryPeriod}: how often the leader renews and the other replicas try to acquire.</li>
 * </ul>
 *
 * @param leaseDuration validity of a lease after its last renewal
 * @param renewDeadline how long the leader tries to renew before it gives up
 * @param retryPeriod interval between renewals and between acquisition attempts
 * @since 0.1.0
 */
public record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    /** client-go's defaults: 15 s, 10 s, 2 s. */
    public static final LeaseTimings DEFAULTS = new LeaseTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

    /** The factor client-go (and fabric8) spread the acquisition retries by: up to 1.2 x the retry period more. */
    public static final double JITTER = 1.2;

    /**
     * @throws IllegalArgumentException unless leaseDuration &gt; renewDeadline &gt; 1.2 &times; retryPeriod &gt; 0,
     *     naming the values
     */
    public LeaseTimings {
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(renewDeadline, "renewDeadline");
        Objects.requireNonNull(retryPeriod, "retryPeriod");
        String problem = problem(leaseDuration, renewDeadline, retryPeriod);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * What is wrong with these timings, in words naming the values and the fix; {@code null} if they
     * are consistent. Property names are Taskloop's ({@code taskloop.leader.*}).
     */
    public static @Nullable String problem(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        if (retryPeriod.isNegative() || retryPeriod.isZero()) {
            return "taskloop.leader.retry-period (" + retryPeriod + ") must be positive, e.g. 2s";
        }
        if (renewDeadline.toNanos() <= (long) (retryPeriod.toNanos() * JITTER)) {
            return "taskloop.leader.renew-deadline (" + renewDeadline + ") must be longer than " + JITTER
                    + " x taskloop.leader.retry-period (" + retryPeriod + "), or the leader gives up before it has tried to renew;"
                    + " lengthen the renew deadline or shorten the retry period";
        }
        if (leaseDuration.compareTo(renewDeadline) <= 0) {
            return "taskloop.leader.lease-duration (" + leaseDuration + ") must be longer than taskloop.leader.renew-deadline ("
                    + renewDeadline + "): a leader that cannot renew must stop its singletons before the lease expires and another"
                    + " replica starts them; lengthen the lease duration or shorten the renew deadline";
        }
        return null;
    }

    /**
     * The margin between an isolated leader's last moment of leading (its renew deadline) and the
     * earliest moment another replica may lead (the lease's expiry): the time its singletons have to
     * end after cancellation without overlapping the next leader.
     */
    public Duration handOverMargin() {
        return leaseDuration.minus(renewDeadline);
    }
}
