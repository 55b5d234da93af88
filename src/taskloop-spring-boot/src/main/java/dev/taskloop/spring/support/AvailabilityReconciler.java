package dev.taskloop.spring.support;

import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Brings Spring Boot's availability states in line with an assessment: holds readiness back while
 * there is a reason to refuse traffic, and breaks liveness while a loop is stuck, publishing each
 * change once.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Readiness: only once the application itself has declared it ready (Spring Boot does after
 *       startup) and has not refused traffic since (as it does when it shuts down). It is held back,
 *       never opened on its own.</li>
 *   <li>Liveness: {@code BROKEN} while a loop is stuck, {@code CORRECT} again when none is, unless
 *       something else has published a liveness state since (then it is theirs).</li>
 * </ul>
 * The current state is {@link ApplicationAvailability}'s when there is one (which also repairs a state
 * that a listener running after this one overwrote), else the last one seen.
 *
 * <p>Thread-safety: every method is synchronized; events come on the publishing thread, checks on the
 * sampler's.
 */
final class AvailabilityReconciler {

    private static final Log log = LogFactory.getLog(AvailabilityReconciler.class);

    private final Object source;
    private final ApplicationEventPublisher publisher;
    private final ObjectProvider<ApplicationAvailability> availability;

    private boolean appAccepting;
    private @Nullable ReadinessState lastReadiness;
    private boolean brokenByUs;

    /** @param source the source of the events it publishes, by which it tells its own from the application's */
    AvailabilityReconciler(Object source, ApplicationEventPublisher publisher, ObjectProvider<ApplicationAvailability> availability) {
        this.source = source;
        this.publisher = publisher;
        this.availability = availability;
    }

    /**
     * Records an availability change; returns whether it was the application declaring itself ready,
     * after which the caller reconciles at once.
     */
    synchronized boolean changed(AvailabilityChangeEvent<?> event) {
        boolean ours = event.getSource() == source;
        if (event.getState() instanceof ReadinessState r) {
            lastReadiness = r;
            if (!ours) {
                // The application's own decision: it is ready (startup), or it refuses (shutdown: never reopen).
                appAccepting = r == ReadinessState.ACCEPTING_TRAFFIC;
                return appAccepting;
            }
        } else if (event.getState() instanceof LivenessState && !ours) {
            brokenByUs = false; // someone else decided: leave liveness to them
        }
        return false;
    }

    /**
     * Publishes the availability states that {@code a} calls for, where they differ from the current ones.
     *
     * @param trustLastEvent take the last event seen as the current readiness (inside the dispatch of
     *     the application's own event, before {@link ApplicationAvailability} has heard of it)
     */
    synchronized void reconcile(LoopAssessment a, boolean trustLastEvent) {
        if (appAccepting) {
            List<String> refuse = a.refuseReasons();
            ReadinessState want = refuse.isEmpty() ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC;
            ApplicationAvailability app = trustLastEvent ? null : availability.getIfAvailable();
            ReadinessState current = app != null ? app.getReadinessState() : lastReadiness;
            if (current != want) {
                if (want == ReadinessState.REFUSING_TRAFFIC) {
                    log.warn("Readiness: refusing traffic because " + String.join("; ", refuse));
                } else {
                    log.info("Readiness: accepting traffic (every loop is healthy and every awaitStarted task has started)");
                }
                lastReadiness = want;
                AvailabilityChangeEvent.publish(publisher, source, want);
            }
        }
        List<String> broken = a.brokenReasons();
        if (!broken.isEmpty() && !brokenByUs) {
            brokenByUs = true;
            log.error("Liveness: BROKEN because " + String.join("; ", broken));
            AvailabilityChangeEvent.publish(publisher, source, LivenessState.BROKEN);
        } else if (broken.isEmpty() && brokenByUs) {
            brokenByUs = false;
            log.info("Liveness: CORRECT again (no loop is stuck)");
            AvailabilityChangeEvent.publish(publisher, source, LivenessState.CORRECT);
        }
    }
}
