package dev.taskloop.actuate.health;

import static dev.taskloop.actuate.Units.millis;
import static dev.taskloop.actuate.Units.ratio;

import dev.taskloop.actuate.RecentEvents;
import dev.taskloop.core.spi.AdmissionSnapshot;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.support.LoopAssessment;
import dev.taskloop.spring.support.LoopMonitor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code taskloop} health component, from the {@link LoopMonitor}'s assessment.
 *
 * <table>
 *   <caption>Status</caption>
 *   <tr><th>Status</th><th>When</th><th>HTTP (Boot's default mapping)</th></tr>
 *   <tr><td>{@code DOWN}</td><td>a loop is stuck (its baton held at least
 *       {@code taskloop.health.stuck-threshold}), or a declared task marked {@code critical} has
 *       failed for good, or a {@link VirtualMachineError} (an {@code OutOfMemoryError}, a
 *       {@code StackOverflowError}) was thrown on a loop, by a task (which is not restarted) or by
 *       integration code (which closes the loop): {@code fatalErrors} in the details says where; it
 *       stays {@code DOWN}, for the JVM's own policy ({@code -XX:+ExitOnOutOfMemoryError}) or a
 *       liveness probe to end the process</td><td>503</td></tr>
 *   <tr><td>{@code OUT_OF_SERVICE}</td><td>a loop is closing or closed (the application is stopping)</td><td>503</td></tr>
 *   <tr><td>{@link #SATURATED}</td><td>a loop's lag p99 over {@code taskloop.health.lag-window} is
 *       above {@code taskloop.health.lag-threshold}, or a loop is overloaded: its admission control admits
 *       no new task (at {@code taskloop.admission.max-tasks} live tasks, spawns waiting, or lag over
 *       {@code taskloop.admission.lag-slo}); the loop's own status in the details says which</td><td>200</td></tr>
 *   <tr><td>{@code UP}</td><td>otherwise</td><td>200</td></tr>
 * </table>
 *
 * <p>{@code SATURATED} is a custom status, so Boot's default status order leaves it out of the
 * aggregate (which stays {@code UP}); to let it show there, list it:
 * {@code management.endpoint.health.status.order=DOWN,OUT_OF_SERVICE,SATURATED,UP,UNKNOWN}. It
 * maps to HTTP 200 on purpose: a saturated loop still works, only late; readiness (not this
 * component) takes the pod out of the load balancer. The details give every loop's figures and
 * the thresholds they were judged by.
 *
 * @since 0.1.0
 */
public class TaskloopHealthIndicator implements HealthIndicator {

    /** A loop is saturated: it works, but tasks wait longer than the lag threshold for the baton. */
    public static final Status SATURATED = new Status("SATURATED",
            "a loop's recent lag p99 is above taskloop.health.lag-threshold, or a loop is at its admission limit");

    private final LoopMonitor monitor;
    private final RecentEvents events;

    public TaskloopHealthIndicator(LoopMonitor monitor, RecentEvents events) {
        this.monitor = monitor;
        this.events = events;
    }

    @Override
    public Health health() {
        LoopAssessment a = monitor.assess();
        boolean stuck = !a.loopsIn(LoopAssessment.Condition.STUCK).isEmpty();
        List<RecentEvents.FatalError> fatal = events.fatalErrors();
        Status status = stuck || !a.failedCritical().isEmpty() || !fatal.isEmpty() ? Status.DOWN
                : !a.loopsIn(LoopAssessment.Condition.CLOSED).isEmpty() ? Status.OUT_OF_SERVICE
                : !a.loopsIn(LoopAssessment.Condition.SATURATED).isEmpty() || !a.loopsIn(LoopAssessment.Condition.OVERLOADED).isEmpty()
                ? SATURATED
                : Status.UP;
        Health.Builder b = Health.status(status);
        List<String> problems = new java.util.ArrayList<>(a.problems());
        for (RecentEvents.FatalError f : fatal) {
            problems.add("loop '" + f.loop() + "': " + f.where() + " threw " + f.error()
                    + "; a VirtualMachineError is the JVM's failure, not the task's: not restarted, the JVM's policy acts");
        }
        if (!problems.isEmpty()) {
            b.withDetail("problems", problems);
        }
        if (!fatal.isEmpty()) {
            Map<String, Object> f = new LinkedHashMap<>();
            for (RecentEvents.FatalError e : fatal) {
                f.put(e.where(), Map.of("loop", e.loop(), "error", e.error(), "at", e.at().toString()));
            }
            b.withDetail("fatalErrors", f);
        }
        Map<String, Object> loops = new LinkedHashMap<>();
        for (LoopAssessment.LoopHealth l : a.loops()) {
            loops.put(l.name(), loopDetails(l));
        }
        b.withDetail("loops", loops);
        if (!a.failedCritical().isEmpty()) {
            Map<String, Object> failed = new LinkedHashMap<>();
            for (DeclaredTask t : a.failedCritical()) {
                failed.put(t.name(), t.lastFailure() == null ? "failed" : t.lastFailure().toString());
            }
            b.withDetail("failedCriticalTasks", failed);
        }
        if (!a.notStarted().isEmpty()) {
            b.withDetail("notStarted", a.notStarted());
        }
        b.withDetail("stuckThresholdMs", a.settings().stuckThreshold().toMillis());
        b.withDetail("lagThresholdMs", a.settings().lagThreshold().toMillis());
        b.withDetail("lagWindowMs", a.settings().lagWindow().toMillis());
        return b.build();
    }

    private Map<String, Object> loopDetails(LoopAssessment.LoopHealth l) {
        LoopSnapshot s = l.snapshot();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", l.condition().name());
        d.put("queueDepth", s.readyDepth());
        d.put("utilization", ratio(l.recent().utilization()));
        d.put("lagP99Ms", millis(l.recent().lag().p99()));
        d.put("lagMaxMs", millis(l.recent().lag().maxNanos()));
        d.put("lagSteps", l.recent().lag().count());
        d.put("windowMs", millis(l.recent().windowNanos()));
        if (s.holderName() != null) {
            d.put("batonHolder", s.holderName());
            if (s.holderId() >= 0) {
                d.put("batonHolderId", s.holderId());
            }
            d.put("heldForMs", millis(s.heldForNanos()));
            events.stuckReport(s).ifPresent(r -> d.put("blocked", r.step().blocked()));
        }
        d.put("slowSteps", s.slowSteps());
        d.put("blockedSteps", s.blockedSteps());
        if (s.admission() != null) {
            d.put("liveTasks", s.liveTasks());
            d.put("admission", admissionDetails(s.admission()));
        }
        return d;
    }

    private static Map<String, Object> admissionDetails(AdmissionSnapshot a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("maxTasks", a.maxTasks());
        d.put("lagSloMs", millis(a.lagSloNanos()));
        d.put("mode", a.mode());
        d.put("overloaded", a.overloaded());
        d.put("waiting", a.waiting());
        d.put("waited", a.waited());
        d.put("rejected", a.rejected());
        d.put("shed", a.shed());
        return d;
    }
}
