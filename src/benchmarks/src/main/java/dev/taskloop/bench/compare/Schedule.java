package dev.taskloop.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The W6 arrival schedule, written once by {@code src/benchmarks/compare/compare.py} (fixed seed) and read by every
 * runtime, so that all of them serve exactly the same jobs at exactly the same offsets.
 *
 * <p>File format, one job a line, {@code #} lines are comments:
 * <pre>level rho loops arrival_ns</pre>
 * {@code level} names the run ({@code rho0.90}, {@code group1.60}, {@code warmup}...), {@code rho}
 * is the offered utilization of the whole run, {@code loops} how many loops (batons) serve it, and
 * {@code arrival_ns} the job's arrival, in nanoseconds after the run's start. Job {@code i} of a
 * run goes to loop {@code i % loops}.
 */
record Schedule(Map<String, Level> levels) {

    /** Busy-spin per step: 200 µs, twice per job. */
    static final long SPIN_NANOS = 200_000;
    /** The sleep between the two steps: 5 ms. */
    static final long PAUSE_NANOS = 5_000_000;

    record Level(String name, double rho, int loops, long[] arrivals) {

        /** The run's result as every runtime reports it: this level, the run's start and its jobs' times. */
        Map<String, Object> result(long t0, Jobs times) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", name);
            m.put("rho", rho);
            m.put("loops", loops);
            m.put("jobs", arrivals.length);
            m.put("t0_uptime_ns", t0 - Workloads.START_NANOS + Workloads.START_UPTIME_MS * 1_000_000L);
            m.putAll(times.toMap());
            return m;
        }
    }

    /**
     * Thrown (after the run's jobs have all ended) when some job was not yet asleep at its arrival:
     * the lead before the first arrival was too short for this machine right now. The run is
     * repeated with a longer lead; its results are not used.
     */
    static final class LeadTooShort extends Exception {
        LeadTooShort(String level, long leadNanos) {
            super("W6 " + level + ": not every job was asleep before the first arrival with a lead of "
                    + leadNanos / 1_000_000 + " ms", null, false, false);
        }
    }

    static Schedule read(Path file) throws IOException {
        Map<String, String[]> first = new LinkedHashMap<>();
        Map<String, List<Long>> arrivals = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 4) {
                throw new IOException(file + ": expected 'level rho loops arrival_ns', got '" + line + "'");
            }
            first.putIfAbsent(f[0], f);
            arrivals.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Long.parseLong(f[3]));
        }
        Map<String, Level> levels = new LinkedHashMap<>();
        for (var e : arrivals.entrySet()) {
            String[] f = first.get(e.getKey());
            long[] a = e.getValue().stream().mapToLong(Long::longValue).toArray();
            for (int i = 1; i < a.length; i++) {
                if (a[i] < a[i - 1]) {
                    throw new IOException(file + ": arrivals of level " + e.getKey() + " are not sorted at job " + i);
                }
            }
            levels.put(e.getKey(), new Level(e.getKey(), Double.parseDouble(f[1]), Integer.parseInt(f[2]), a));
        }
        return new Schedule(levels);
    }

    Level level(String name) {
        Level l = levels.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no level '" + name + "' in the schedule; it has " + levels.keySet());
        }
        return l;
    }

    /** Busy-spins until {@link System#nanoTime()} reaches {@code deadline}: computing on the loop. */
    static void spinUntil(long deadline) {
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * Per-job timestamps of one run, indexed by job, in nanoseconds after the run's start {@code t0}:
     * when its first step began running ({@code r1}) and ended ({@code e1}, it went to sleep), when
     * its second step began ({@code r2}) and ended ({@code e2}). Filled by the jobs, read after the
     * last one ended. Waiting, busy time and latency are derived from them (and the schedule) by
     * {@code src/benchmarks/compare/compare.py}, the same way for every runtime: step 1 is ready at the job's
     * arrival, step 2 at {@code e1 + PAUSE}.
     */
    static final class Jobs {
        final long[] r1;
        final long[] e1;
        final long[] r2;
        final long[] e2;

        Jobs(int n) {
            r1 = new long[n];
            e1 = new long[n];
            r2 = new long[n];
            e2 = new long[n];
        }

        void record(int i, long t0, long r1, long e1, long r2, long e2) {
            this.r1[i] = r1 - t0;
            this.e1[i] = e1 - t0;
            this.r2[i] = r2 - t0;
            this.e2[i] = e2 - t0;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("r1_ns", r1);
            m.put("e1_ns", e1);
            m.put("r2_ns", r2);
            m.put("e2_ns", e2);
            return m;
        }
    }
}
