package dev.taskloop.spring.support;

import dev.taskloop.core.spi.AdmissionSnapshot;
import dev.taskloop.core.spi.Describe;
import dev.taskloop.core.spi.LatencySnapshot;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.spring.DeclaredTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The loops and declared tasks assessed at one moment: a pure function of the loops' snapshots, their
 * recent figures, the declared tasks' states and the thresholds ({@link #of}, {@link #assess}), and
 * what follows from it for health and the availability states ({@link #problems()},
 * {@link #refuseReasons()}, {@link #brokenReasons()}). Immutable; reads nothing, starts nothing.
 *
 * <table>
 *   <caption>Conditions of a loop, first match wins</caption>
 *   <tr><th>Condition</th><th>When</th></tr>
 *   <tr><td>{@code CLOSED}</td><td>the loop is closing or closed</td></tr>
 *   <tr><td>{@code STUCK}</td><td>one task (or the loop's callbacks) has held its baton for at least
 *       {@code stuckThreshold} (wall time)</td></tr>
 *   <tr><td>{@code OVERLOADED}</td><td>its admission control admits no new task ({@link #isOverloaded})</td></tr>
 *   <tr><td>{@code SATURATED}</td><td>its recent lag p99 is above {@code lagThreshold}</td></tr>
 *   <tr><td>{@code OK}</td><td>otherwise</td></tr>
 * </table>
 *
 * @param loops every loop, in the directory's order
 * @param failedCritical declared tasks marked critical that have failed for good, by name
 * @param notStarted declared tasks with awaitStarted that have not started yet, sorted
 * @param settings the thresholds it was assessed with
 * @since 0.1.0
 */
public record LoopAssessment(List<LoopHealth> loops, List<DeclaredTask> failedCritical, List<String> notStarted, Settings settings) {

    public LoopAssessment {
        loops = List.copyOf(loops);
        failedCritical = List.copyOf(failedCritical);
        notStarted = List.copyOf(notStarted);
        Objects.requireNonNull(settings, "settings");
    }

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

    /** What a loop is, for health; see the class documentation. */
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
     * @param condition what the assessment makes of it
     * @param snapshot the loop's snapshot it was assessed on
     * @param recent its recent figures
     */
    public record LoopHealth(Condition condition, LoopSnapshot snapshot, Recent recent) {
        /** The loop's name. */
        public String name() {
            return snapshot.name();
        }
    }

    // ------------------------------------------------------------------ the function

    /** One loop's snapshot, with its recent figures, against the thresholds. */
    public static LoopHealth assess(LoopSnapshot s, Recent recent, Settings settings) {
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

    /** The loops, assessed, and the declared tasks: which critical ones failed for good, which have not started. */
    public static LoopAssessment of(List<LoopHealth> loops, Collection<? extends DeclaredTask> declared, Settings settings) {
        List<DeclaredTask> failed = new ArrayList<>();
        List<String> notStarted = new ArrayList<>();
        for (DeclaredTask t : declared) {
            if (t.isCritical() && t.hasFailed()) {
                failed.add(t);
            }
            if (!t.isStarted()) {
                notStarted.add(t.name());
            }
        }
        notStarted.sort(null);
        failed.sort(Comparator.comparing(DeclaredTask::name));
        return new LoopAssessment(loops, failed, notStarted, settings);
    }

    /**
     * Whether admission control admits no new task on this loop now: it holds its limit of live tasks,
     * spawns are waiting for room, or its recent lag p99 is over the lag SLO.
     */
    public static boolean isOverloaded(LoopSnapshot s) {
        AdmissionSnapshot a = s.admission();
        return a != null && !s.closed() && (a.overloaded() || a.waiting() > 0 || s.liveTasks() >= a.maxTasks());
    }

    // ------------------------------------------------------------------ what follows

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
        return settings.availability() ? loopsIn(Condition.STUCK).stream().map(LoopAssessment::describeStuck).toList() : List.of();
    }

    /** What is wrong with a loop, in words, or {@code null} if nothing is. */
    private static @Nullable String describe(LoopHealth l, Settings settings) {
        return switch (l.condition()) {
            case STUCK -> describeStuck(l);
            case OVERLOADED -> describeOverloaded(l);
            case SATURATED -> describeSaturated(l, settings);
            case OK, CLOSED -> null;
        };
    }

    private static String describeOverloaded(LoopHealth l) {
        LoopSnapshot s = l.snapshot();
        AdmissionSnapshot a = Objects.requireNonNull(s.admission(), "an overloaded loop has admission control");
        String why = a.overloaded() ? "lag p99 over its SLO of " + millis(a.lagSloNanos()) + " ms (taskloop.admission.lag-slo)"
                : s.liveTasks() + " live tasks of at most " + a.maxTasks() + " (taskloop.admission.max-tasks)";
        return "loop '" + s.name() + "' is overloaded: " + why + "; " + a.waiting() + " spawn(s) waiting, " + a.waited() + " waited, "
                + a.rejected() + " rejected, " + a.shed() + " shed so far (mode " + a.mode() + ")";
    }

    private static String describeStuck(LoopHealth l) {
        LoopSnapshot s = l.snapshot();
        return "loop '" + s.name() + "' is stuck: " + holder(s) + " has held its baton for "
                + TimeUnit.NANOSECONDS.toMillis(s.heldForNanos()) + " ms";
    }

    private static String describeSaturated(LoopHealth l, Settings settings) {
        return "loop '" + l.name() + "' is saturated: lag p99 " + millis(l.recent().lag().p99()) + " ms over the last "
                + TimeUnit.NANOSECONDS.toMillis(l.recent().windowNanos()) + " ms (threshold " + settings.lagThreshold().toMillis()
                + " ms, " + l.recent().lag().count() + " steps)";
    }

    private static String holder(LoopSnapshot s) {
        return s.holderId() < 0 ? "its callbacks" : Describe.task(s.holderName(), s.holderId());
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
