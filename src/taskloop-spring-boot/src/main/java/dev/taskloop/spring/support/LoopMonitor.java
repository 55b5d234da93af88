package dev.taskloop.spring.support;

import dev.taskloop.core.EventLoop;
import dev.taskloop.core.spi.AdmissionSnapshot;
import dev.taskloop.core.spi.LatencySnapshot;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.ShutdownProgress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Watches the application's loops and declared tasks, and turns what it sees into Spring Boot's
 * availability states (the Kubernetes liveness and readiness probes). The health indicator, the
 * metrics and the endpoint read their recent figures from it.
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
 * Every {@code checkInterval} the monitor samples each loop (on a platform thread of its own, so that
 * it runs even when every carrier thread is busy) and keeps a few samples spread over the last
 * {@code lagWindow} of loop time; {@link #recent} gives the lag distribution and utilization
 * between the oldest of them and now. The window therefore covers between 7/8 of
 * {@code lagWindow} and all of it (less while the loop is younger than that).
 *
 * <h2>Thread-safety</h2>
 * All methods may be called from any thread.
 */
public class LoopMonitor implements ApplicationListener<AvailabilityChangeEvent<?>>, SmartLifecycle {

    /** Starts after the loops' lifecycle ({@link TaskloopLifecycle#PHASE}), stops before it. */
    public static final int PHASE = TaskloopLifecycle.PHASE + 1;

    private static final Log log = LogFactory.getLog(LoopMonitor.class);

    /**
     * The thresholds.
     *
     * @param stuckThreshold baton held this long (wall time) and the loop is stuck
     * @param lagThreshold lag p99 over the window above this and the loop is saturated
     * @param lagWindow the recent window (loop time)
     * @param checkInterval how often the loops are sampled
     * @param availability whether stuck and saturated loops change the availability states
     */
    public record Settings(Duration stuckThreshold, Duration lagThreshold, Duration lagWindow, Duration checkInterval,
                           boolean availability) {

        public Settings {
            Objects.requireNonNull(stuckThreshold, "stuckThreshold");
            Objects.requireNonNull(lagThreshold, "lagThreshold");
            Objects.requireNonNull(lagWindow, "lagWindow");
            Objects.requireNonNull(checkInterval, "checkInterval");
        }

        /** The defaults of {@code taskloop.health.*}: 5 s, 250 ms, 10 s, 250 ms, on. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofMillis(250), true);
        }
    }

    /** What a loop is, for health. */
    public enum Condition {
        /** Neither stuck nor saturated. */
        OK,
        /** Recent lag p99 above the lag threshold. */
        SATURATED,
        /** Admission control admits no new task: at the live-task limit, spawns waiting, or lag over the SLO. */
        OVERLOADED,
        /** Baton held at least the stuck threshold. */
        STUCK,
        /** Closing or closed (the application is shutting down). */
        CLOSED
    }

    /**
     * A loop's figures over the recent window.
     *
     * @param windowNanos how much loop time the window covers
     * @param lag the lag distribution of the steps taken within the window
     * @param utilization the share of the window the baton was held, in [0, 1]
     */
    public record Recent(long windowNanos, LatencySnapshot lag, double utilization) {
    }

    /**
     * One loop, assessed.
     *
     * @param condition what the monitor makes of it
     * @param snapshot the loop's snapshot it was assessed on
     * @param recent its recent figures
     */
    public record LoopHealth(Condition condition, LoopSnapshot snapshot, Recent recent) {
        /** The loop's name. */
        public String name() {
            return snapshot.name();
        }
    }

    /**
     * Everything assessed at one moment.
     *
     * @param loops every loop, in the directory's order
     * @param failedCritical declared tasks marked critical that have failed for good
     * @param notStarted declared tasks with awaitStarted that have not started yet
     * @param settings the thresholds it was assessed with
     */
    public record Assessment(List<LoopHealth> loops, List<DeclaredTask> failedCritical, List<String> notStarted,
                             Settings settings) {

        public Assessment {
            loops = List.copyOf(loops);
            failedCritical = List.copyOf(failedCritical);
            notStarted = List.copyOf(notStarted);
        }

        /** The loops in {@code condition}. */
        public List<LoopHealth> loopsIn(Condition condition) {
            return loops.stream().filter(l -> l.condition() == condition).toList();
        }

        /** Why readiness should refuse traffic now (empty: no reason). */
        public List<String> refuseReasons() {
            List<String> reasons = new ArrayList<>();
            if (!notStarted.isEmpty()) {
                reasons.add("declared task(s) " + notStarted + " with awaitStarted have not started yet");
            }
            if (settings.availability()) {
                for (LoopHealth l : loops) {
                    String problem = describe(l, settings);
                    if (problem != null) {
                        reasons.add(problem);
                    }
                }
            }
            return reasons;
        }

        /** Everything wrong now, in words: stuck and saturated loops, critical tasks failed for good. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            for (LoopHealth l : loops) {
                String problem = describe(l, settings);
                if (problem != null) {
                    problems.add(problem);
                }
            }
            for (DeclaredTask t : failedCritical) {
                problems.add("critical task '" + t.name() + "' has failed for good"
                        + (t.lastFailure() == null ? "" : ": " + t.lastFailure()));
            }
            return problems;
        }

        /** Why liveness is broken now (empty: it is not). */
        public List<String> brokenReasons() {
            return settings.availability() ? loopsIn(Condition.STUCK).stream().map(LoopMonitor::describeStuck).toList() : List.of();
        }
    }

    private final LoopDirectory loops;
    private final DeclaredTaskRegistry declared;
    private final TaskloopLifecycle lifecycle;
    private final ApplicationEventPublisher publisher;
    private final ObjectProvider<ApplicationAvailability> availability;
    private final Settings settings;
    private final Map<String, Window> windows = new HashMap<>();

    // Availability bookkeeping, guarded by `this`.
    private boolean appAccepting;
    private ReadinessState lastReadiness;
    private boolean brokenByUs;

    private volatile Thread sampler;
    private volatile boolean running;

    public LoopMonitor(LoopDirectory loops, DeclaredTaskRegistry declared, TaskloopLifecycle lifecycle, ApplicationEventPublisher publisher,
                       ObjectProvider<ApplicationAvailability> availability, Settings settings) {
        this.loops = Objects.requireNonNull(loops, "loops");
        this.declared = Objects.requireNonNull(declared, "declared");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.availability = Objects.requireNonNull(availability, "availability");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The thresholds. */
    public Settings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ assessing

    /** Assesses every loop and declared task now (a fresh snapshot of each loop). */
    public Assessment assess() {
        List<LoopHealth> healths = new ArrayList<>();
        for (EventLoop loop : loops.all()) {
            healths.add(assess(loop.snapshot()));
        }
        List<DeclaredTask> failed = new ArrayList<>();
        List<String> notStarted = new ArrayList<>();
        for (DeclaredTask t : declared.all()) {
            if (t.isCritical() && t.hasFailed()) {
                failed.add(t);
            }
            if (!t.isStarted()) {
                notStarted.add(t.name());
            }
        }
        notStarted.sort(null);
        failed.sort((a, b) -> a.name().compareTo(b.name()));
        return new Assessment(healths, failed, notStarted, settings);
    }

    /** Assesses one loop's snapshot against the thresholds and its recent window. */
    public LoopHealth assess(LoopSnapshot s) {
        Recent recent = recent(s);
        Condition c;
        if (s.closed()) {
            c = Condition.CLOSED;
        } else if (s.holderName() != null && s.heldForNanos() >= settings.stuckThreshold().toNanos()) {
            c = Condition.STUCK;
        } else if (isOverloaded(s)) {
            c = Condition.OVERLOADED;
        } else if (recent.lag().p99() > settings.lagThreshold().toNanos()) {
            c = Condition.SATURATED;
        } else {
            c = Condition.OK;
        }
        return new LoopHealth(c, s, recent);
    }

    /** The loop's figures over the recent window, up to {@code now} (a snapshot of that loop). */
    public synchronized Recent recent(LoopSnapshot now) {
        Window w = windows.get(now.name());
        Sample base = w == null ? null : w.baseline(now.elapsedNanos(), settings.lagWindow().toNanos());
        if (base == null || base.elapsed > now.elapsedNanos()) {
            return new Recent(now.elapsedNanos(), now.lag(), now.utilization());
        }
        long span = now.elapsedNanos() - base.elapsed;
        double util = span <= 0 ? 0 : Math.min(1.0, (double) (now.busyNanos() - base.busy) / span);
        return new Recent(span, now.lag().since(base.lag), util);
    }

    /**
     * Samples every loop into its window and brings the availability states up to date; what the
     * monitor's thread does every {@code checkInterval}. Public for tests that drive it themselves.
     */
    public void check() {
        for (EventLoop loop : loops.all()) {
            record(loop.snapshot());
        }
        reconcile(assess(), false);
    }

    /** Adds a sample of a loop to its window (kept when the newest is at least 1/8 of the window old). */
    public synchronized void record(LoopSnapshot s) {
        windows.computeIfAbsent(s.name(), n -> new Window()).add(s, settings.lagWindow().toNanos());
    }

    // ------------------------------------------------------------------ availability

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
        boolean ours = event.getSource() == this;
        boolean opened = false;
        synchronized (this) {
            if (event.getState() instanceof ReadinessState r) {
                lastReadiness = r;
                if (!ours) {
                    // The application's own decision: it is ready (startup), or it refuses (shutdown: never reopen).
                    appAccepting = r == ReadinessState.ACCEPTING_TRAFFIC;
                    opened = appAccepting;
                }
            } else if (event.getState() instanceof LivenessState && !ours) {
                brokenByUs = false; // someone else decided: leave liveness to them
            }
        }
        if (opened) {
            // Hold it back at once, inside the same dispatch, if there is a reason to.
            reconcile(assess(), true);
            lifecycle.whenAllStarted().thenRun(() -> reconcile(assess(), false));
        }
    }

    /**
     * Publishes the availability states that {@code a} calls for, where they differ from the current
     * ones: {@link ApplicationAvailability}'s when there is one (which also repairs a state that a
     * listener running after this one overwrote), else the last one seen.
     */
    synchronized void reconcile(Assessment a, boolean trustLastEvent) {
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
                AvailabilityChangeEvent.publish(publisher, this, want);
            }
        }
        List<String> broken = a.brokenReasons();
        if (!broken.isEmpty() && !brokenByUs) {
            brokenByUs = true;
            log.error("Liveness: BROKEN because " + String.join("; ", broken));
            AvailabilityChangeEvent.publish(publisher, this, LivenessState.BROKEN);
        } else if (broken.isEmpty() && brokenByUs) {
            brokenByUs = false;
            log.info("Liveness: CORRECT again (no loop is stuck)");
            AvailabilityChangeEvent.publish(publisher, this, LivenessState.CORRECT);
        }
    }

    /**
     * Whether admission control admits no new task on this loop now: it holds its limit of live tasks,
     * spawns are waiting for room, or its recent lag p99 is over the lag SLO.
     */
    public static boolean isOverloaded(LoopSnapshot s) {
        AdmissionSnapshot a = s.admission();
        return a != null && !s.closed() && (a.overloaded() || a.waiting() > 0 || s.liveTasks() >= a.maxTasks());
    }

    /** What is wrong with a loop, in words, or {@code null} if nothing is. */
    private static String describe(LoopHealth l, Settings settings) {
        return switch (l.condition()) {
            case STUCK -> describeStuck(l);
            case OVERLOADED -> describeOverloaded(l);
            case SATURATED -> describeSaturated(l, settings);
            case OK, CLOSED -> null;
        };
    }

    static String describeOverloaded(LoopHealth l) {
        LoopSnapshot s = l.snapshot();
        AdmissionSnapshot a = s.admission();
        String why = a.overloaded() ? "lag p99 over its SLO of " + millis(a.lagSloNanos()) + " ms (taskloop.admission.lag-slo)"
                : s.liveTasks() + " live tasks of at most " + a.maxTasks() + " (taskloop.admission.max-tasks)";
        return "loop '" + s.name() + "' is overloaded: " + why + "; " + a.waiting() + " spawn(s) waiting, " + a.waited() + " waited, "
                + a.rejected() + " rejected, " + a.shed() + " shed so far (mode " + a.mode() + ")";
    }

    static String describeStuck(LoopHealth l) {
        LoopSnapshot s = l.snapshot();
        return "loop '" + s.name() + "' is stuck: " + holder(s) + " has held its baton for "
                + TimeUnit.NANOSECONDS.toMillis(s.heldForNanos()) + " ms";
    }

    static String describeSaturated(LoopHealth l, Settings settings) {
        return "loop '" + l.name() + "' is saturated: lag p99 " + millis(l.recent().lag().p99()) + " ms over the last "
                + TimeUnit.NANOSECONDS.toMillis(l.recent().windowNanos()) + " ms (threshold " + settings.lagThreshold().toMillis()
                + " ms, " + l.recent().lag().count() + " steps)";
    }

    private static String holder(LoopSnapshot s) {
        return s.holderId() < 0 ? "its callbacks" : "task '" + s.holderName() + "' (id " + s.holderId() + ")";
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** Where the orderly shutdown is ({@code RUNNING} before it began). */
    public ShutdownProgress shutdownProgress() {
        return lifecycle.shutdownProgress();
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        if (running) {
            return;
        }
        running = true;
        long interval = settings.checkInterval().toNanos();
        sampler = Thread.ofPlatform().daemon().name("taskloop-monitor").start(() -> {
            while (running) {
                LockSupport.parkNanos(this, interval);
                if (!running) {
                    break;
                }
                try {
                    check();
                } catch (RuntimeException | Error e) {
                    log.warn("Taskloop monitor failed to check the loops", e);
                }
            }
        });
    }

    @Override
    public void stop() {
        running = false;
        Thread t = sampler;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    // ------------------------------------------------------------------ windows

    private record Sample(long elapsed, long busy, LatencySnapshot lag) {
    }

    /** A few samples of one loop spread over the last window (loop time). */
    private static final class Window {
        private final ArrayDeque<Sample> samples = new ArrayDeque<>();

        void add(LoopSnapshot s, long window) {
            Sample last = samples.peekLast();
            if (last != null && s.elapsedNanos() - last.elapsed < window / 8) {
                return;
            }
            samples.addLast(new Sample(s.elapsedNanos(), s.busyNanos(), s.lag()));
            while (samples.size() > 1 && s.elapsedNanos() - samples.peekFirst().elapsed > window) {
                samples.pollFirst();
            }
        }

        /** The oldest sample at most {@code window} old; else the newest; {@code null} without samples. */
        Sample baseline(long now, long window) {
            for (Sample s : samples) {
                if (now - s.elapsed <= window) {
                    return s;
                }
            }
            return samples.peekLast();
        }
    }
}
