package dev.taskloop.bench.compare;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java side of {@code src/benchmarks/compare/compare.py}: runs one workload in this JVM on one runtime and
 * prints one JSON line per measured iteration. {@code src/benchmarks/compare/asyncio_workloads.py} (Python asyncio),
 * {@code src/benchmarks/kotlin}'s {@code KotlinWorkloads.kt} (kotlinx.coroutines) and
 * {@code src/benchmarks/compare/node_workloads.mjs} (Node.js) are the same program on the other runtimes; all take
 * the same arguments, run the same self-checks and print the same fields.
 *
 * <pre>
 * java -cp src/benchmarks/target/classes:src/taskloop-core/target/classes dev.taskloop.bench.compare.Workloads \
 *      RUNTIME WORKLOAD [--measure on|off|both] [--iterations N] [--scale F] [--warmup-scale F]
 *      [--schedule FILE] [--levels a,b] [--lead-ms MS]
 *
 * RUNTIME   taskloop | vthreads | continuations   (--measure both: taskloop with measuring on and off, alternately;
 *           continuations: {@link ContinuationRunner}, needs --add-exports java.base/jdk.internal.vm=ALL-UNNAMED)
 * WORKLOAD  w1 | w2 | w3-alone | w3-crowded | w4 | w4-memory | w5 | w6
 * </pre>
 *
 * Before the measured iterations, one warm-up iteration runs at {@code --warmup-scale} of the
 * counts (default 0.1; 0 for none), so the JIT has compiled the paths; W6's warm-up is the
 * {@code warmup} level of the schedule. {@code w4-memory} is W4 in a JVM of its own, after its
 * warm-up, measuring the heap held per sleeping task (heap after full GCs while every task sleeps,
 * minus before) instead of time, since forcing those GCs would disturb the timing. (Without the
 * warm-up the first tasks park interpreted frames, which are larger, and the figure wanders.)
 */
public final class Workloads {

    static final int W1_TASKS = 200_000;
    static final int W2_ROUND_TRIPS = 200_000;
    static final int W3_YIELDS = 1_000_000;
    static final int W3_OTHERS = 10;
    static final int W4_TASKS = 100_000;
    static final long W4_SLEEP_NANOS = 1_000_000_000L;
    static final int W5_GATHERS = 200;
    static final int W5_CHILDREN = 1_000;
    static final long W5_SLEEP_NANOS = 1_000_000L;

    /** {@link System#nanoTime()} and JVM uptime read together at start: to place a run's times in the GC log. */
    static final long START_NANOS = System.nanoTime();
    static final long START_UPTIME_MS = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();

    private Workloads() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Workloads taskloop|vthreads|continuations w1|w2|w3-alone|w3-crowded|w4|w4-memory|w5|w6 [--measure on|off|both] "
                    + "[--iterations N] [--scale F] [--warmup-scale F] [--schedule FILE] [--levels a,b] [--lead-ms MS]");
            System.exit(2);
        }
        String runtime = args[0];
        String workload = args[1];
        boolean measure = true;
        boolean both = false;
        double scale = 1.0;
        int iterations = 1;
        double warmup = 0.1;
        Path schedule = null;
        List<String> levels = null;
        long leadNanos = 500_000_000L;
        for (int i = 2; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--measure" -> {
                    both = v.equals("both");
                    measure = v.equals("on") || v.equals("true");
                }
                case "--scale" -> scale = Double.parseDouble(v);
                case "--iterations" -> iterations = Integer.parseInt(v);
                case "--warmup-scale" -> warmup = Double.parseDouble(v);
                case "--schedule" -> schedule = Path.of(v);
                case "--levels" -> levels = List.of(v.split(","));
                case "--lead-ms" -> leadNanos = Long.parseLong(v) * 1_000_000L;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (both) {
            overhead(workload, iterations, warmup, scale);
            return;
        }
        Runner runner = switch (runtime) {
            case "taskloop" -> new TaskloopRunner(measure);
            case "vthreads" -> new ThreadRunner();
            case "continuations" -> new ContinuationRunner();
            default -> throw new IllegalArgumentException("unknown runtime " + runtime + " (taskloop | vthreads | continuations)");
        };
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("runtime", runtime);
        base.put("workload", workload);
        base.put("measure", runtime.equals("taskloop") ? measure : null);
        base.put("version", "Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        try (runner) {
            if (workload.equals("w6")) {
                if (schedule == null || levels == null) {
                    throw new IllegalArgumentException("w6 needs --schedule FILE and --levels a,b,...");
                }
                Schedule s = Schedule.read(schedule);
                if (warmup > 0 && s.levels().containsKey("warmup")) {
                    saturation(runner, s.level("warmup"), leadNanos);
                }
                for (int it = 0; it < iterations; it++) {
                    for (String level : levels) {
                        emit(base, it, saturation(runner, s.level(level), leadNanos));
                    }
                }
                return;
            }
            if (workload.equals("w4-memory")) {
                if (warmup > 0) {
                    runOnce(runner, "w4", warmup, false); // compiled frames: a parked interpreted stack is larger
                }
                emit(base, 0, runOnce(runner, "w4", 1.0, true));
                return;
            }
            if (warmup > 0) {
                runOnce(runner, workload, warmup, false);
            }
            for (int it = 0; it < iterations; it++) {
                emit(base, it, runOnce(runner, workload, scale, false));
            }
        }
    }

    /**
     * {@code --measure both}: the cost of measuring. Two loops in this JVM, one with time accounting
     * and the watchdog on, one with both off; the workload runs on them alternately ({@code on off},
     * then {@code off on}...), {@code pairs} times each, so that both see the same JIT, heap and
     * carrier threads. Separate JVMs differ more from one another than the two settings do.
     */
    private static void overhead(String workload, int pairs, double warmup, double scale) throws Exception {
        try (Runner on = new TaskloopRunner(true); Runner off = new TaskloopRunner(false)) {
            if (warmup > 0) {
                runOnce(on, workload, warmup, false);
                runOnce(off, workload, warmup, false);
            }
            for (int p = 0; p < pairs; p++) {
                for (boolean measured : p % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    Map<String, Object> base = new LinkedHashMap<>();
                    base.put("runtime", "taskloop");
                    base.put("workload", workload);
                    base.put("measure", measured);
                    base.put("pair", p);
                    emit(base, p, runOnce(measured ? on : off, workload, scale, false));
                }
            }
        }
    }

    /** A W6 run, repeated with a doubled lead (up to 4 times) while the lead was too short. */
    private static Map<String, Object> saturation(Runner r, Schedule.Level level, long leadNanos) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                Map<String, Object> m = new LinkedHashMap<>(r.saturation(level, leadNanos));
                m.put("lead_ms", leadNanos / 1_000_000);
                return m;
            } catch (Schedule.LeadTooShort e) {
                if (attempt == 4) {
                    throw new IllegalStateException("benchmark result wrong: " + e.getMessage() + ", 4 times", e);
                }
                System.err.println(e.getMessage() + "; again with " + 2 * leadNanos / 1_000_000 + " ms");
                leadNanos *= 2;
            }
        }
    }

    private static Map<String, Object> runOnce(Runner r, String workload, double scale, boolean memory) throws Exception {
        return switch (workload) {
            case "w1" -> r.spawnJoin(scaled(W1_TASKS, scale));
            case "w2" -> r.pingPong(scaled(W2_ROUND_TRIPS, scale));
            case "w3-alone" -> r.yieldAlone(scaled(W3_YIELDS, scale));
            case "w3-crowded" -> r.yieldCrowded(scaled(W3_YIELDS, scale), W3_OTHERS);
            case "w4" -> r.sleepers(scaled(W4_TASKS, scale), W4_SLEEP_NANOS, memory);
            case "w5" -> r.fanOut(scaled(W5_GATHERS, scale), W5_CHILDREN, W5_SLEEP_NANOS);
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        };
    }

    private static int scaled(int count, double scale) {
        return Math.max(1, (int) Math.round(count * scale));
    }

    private static void emit(Map<String, Object> base, int iteration, Map<String, Object> result) {
        Map<String, Object> line = new LinkedHashMap<>(base);
        line.put("iteration", iteration);
        line.putAll(result);
        System.out.println(Json.of(line));
        System.out.flush();
    }
}
