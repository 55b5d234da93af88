package dev.taskloop.spring.support;

import dev.taskloop.core.EventLoop;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.spring.ShutdownProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Watches the application's loops and declared tasks, and turns what it sees into Spring Boot's
 * availability states (the Kubernetes liveness and readiness probes). The health indicator, the
 * metrics and the endpoint read their recent figures and assessments from it. Three parts:
 * <ul>
 *   <li>the assessment, a pure function of the loops' snapshots, their recent figures, the declared
 *       tasks and the thresholds: {@link LoopAssessment} (its class documentation has the conditions);</li>
 *   <li>the sampler, a platform thread that every {@code checkInterval} samples each loop into its
 *       recent window ({@link RecentWindows}) and reconciles ({@link #check()});</li>
 *   <li>the availability reconciler, which publishes what the assessment calls for
 *       ({@link AvailabilityReconciler}).</li>
 * </ul>
 *
 * <h2>What it decides</h2>
 * <table>
 *   <caption>Conditions</caption>
 *   <tr><th>Condition</th><th>When</th><th>Availability</th></tr>
 *   <tr><td>{@code STUCK}</td><td>one task (or the loop's callbacks) has held a loop's baton for at
 *       least {@code stuckThreshold} (wall time), computing or blocked</td>
 *       <td>{@code LivenessState.BROKEN} and {@code REFUSING_TRAFFIC} while it lasts</td></tr>
 *   <tr><td>{@code OVERLOADED}</td><td>the loop's admission control admits no new task now: it holds
 *       its limit of live tasks ({@code taskloop.admission.max-tasks}), spawns are waiting for room, or
 *       its recent lag p99 is over the lag SLO ({@code taskloop.admission.lag-slo})</td>
 *       <td>{@code REFUSING_TRAFFIC}</td></tr>
 *   <tr><td>{@code SATURATED}</td><td>the 99th percentile of the loop's lag (ready-to-running delay)
 *       over the last {@code lagWindow} (loop time) is above {@code lagThreshold}</td>
 *       <td>{@code REFUSING_TRAFFIC}</td></tr>
 *   <tr><td>not started</td><td>a declared task with {@code awaitStarted = true} has not called
 *       {@code TaskContext.started()} yet</td><td>{@code REFUSING_TRAFFIC}</td></tr>
 * </table>
 * Readiness returns to {@code ACCEPTING_TRAFFIC} only once every reason to refuse is gone, and only if
 * the application itself had declared it ready (Spring Boot does after startup) and has not refused
 * traffic since (as it does when it shuts down): the monitor holds readiness back, it never opens it
 * on its own. Liveness returns to {@code CORRECT} when no loop is stuck, unless something else has
 * published a liveness state since. With {@code availability = false} only the awaitStarted hold
 * remains.
 *
 * <h2>Recent figures</h2>
 * The sampler keeps a few samples of each loop spread over the last {@code lagWindow} of loop time;
 * {@link #recent} gives the lag distribution and utilization between the oldest of them and now. The
 * window therefore covers between 7/8 of {@code lagWindow} and all of it (less while the loop is
 * younger than that).
 *
 * <h2>Lifecycle</h2>
 * <pre>  stopped --start()--> sampling --stop()--> stopped</pre>
 * Restartable (a context {@code pause()} and {@code restart()} stop and start the sampler).
 *
 * <h2>Thread-safety</h2>
 * All methods may be called from any thread.
 *
 * @since 0.1.0
 */
public class LoopMonitor implements ApplicationListener<AvailabilityChangeEvent<?>>, SmartLifecycle {

    /** Starts after the loops' lifecycle ({@link TaskloopLifecycle#PHASE}), stops before it. */
    public static final int PHASE = TaskloopLifecycle.PHASE + 1;

    private final LoopDirectory loops;
    private final DeclaredTaskRegistry declared;
    private final TaskloopLifecycle lifecycle;
    private final LoopAssessment.Settings settings;
    private final RecentWindows windows;
    private final AvailabilityReconciler availability;
    private final LoopSampler sampler;

    public LoopMonitor(LoopDirectory loops, DeclaredTaskRegistry declared, TaskloopLifecycle lifecycle, ApplicationEventPublisher publisher,
                       ObjectProvider<ApplicationAvailability> availability, LoopAssessment.Settings settings) {
        this.loops = Objects.requireNonNull(loops, "loops");
        this.declared = Objects.requireNonNull(declared, "declared");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.windows = new RecentWindows(settings.lagWindow().toNanos());
        this.availability = new AvailabilityReconciler(this, Objects.requireNonNull(publisher, "publisher"),
                Objects.requireNonNull(availability, "availability"));
        this.sampler = new LoopSampler(settings.checkInterval(), this::check);
    }

    /** The thresholds. */
    public LoopAssessment.Settings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ assessing

    /** Assesses every loop and declared task now (a fresh snapshot of each loop). */
    public LoopAssessment assess() {
        List<LoopAssessment.LoopHealth> healths = new ArrayList<>();
        for (EventLoop loop : loops.all()) {
            healths.add(assess(loop.snapshot()));
        }
        return LoopAssessment.of(healths, declared.all(), settings);
    }

    /** Assesses one loop's snapshot against the thresholds and its recent window. */
    public LoopAssessment.LoopHealth assess(LoopSnapshot s) {
        return LoopAssessment.assess(s, recent(s), settings);
    }

    /** The loop's figures over the recent window, up to {@code now} (a snapshot of that loop). */
    public LoopAssessment.Recent recent(LoopSnapshot now) {
        return windows.recent(now);
    }

    /** Adds a sample of a loop to its window (kept when the newest is at least 1/8 of the window old). */
    public void record(LoopSnapshot s) {
        windows.record(s);
    }

    /**
     * Samples every loop into its window and brings the availability states up to date; what the
     * sampler does every {@code checkInterval}. Public for tests that drive it themselves.
     */
    public void check() {
        for (EventLoop loop : loops.all()) {
            record(loop.snapshot());
        }
        availability.reconcile(assess(), false);
    }

    /** Where the orderly shutdown is ({@code RUNNING} before it began). */
    public ShutdownProgress shutdownProgress() {
        return lifecycle.shutdownProgress();
    }

    // ------------------------------------------------------------------ availability

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
        if (availability.changed(event)) {
            // The application declared itself ready: hold it back at once, inside the same dispatch, if there is a reason to.
            availability.reconcile(assess(), true);
            lifecycle.whenAllStarted().thenRun(() -> availability.reconcile(assess(), false));
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        sampler.start();
    }

    @Override
    public void stop() {
        sampler.stop();
    }

    @Override
    public boolean isRunning() {
        return sampler.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
