package dev.taskloop.bench.compare;

import dev.taskloop.bench.LoopState;
import dev.taskloop.core.Async;
import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.EventLoopGroup;
import dev.taskloop.core.Task;
import dev.taskloop.core.queue.Queue;
import dev.taskloop.core.spi.LatencySnapshot;
import dev.taskloop.core.spi.LoopSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workloads on Taskloop: one {@link EventLoop} (an {@link EventLoopGroup} for W6 on several
 * loops), with time accounting and the watchdog both on ({@code measure = true}, the default) or
 * both off. Plain fields shared by tasks need no synchronization: only the baton holder runs.
 */
final class TaskloopRunner implements Runner {

    private final boolean measure;
    private final EventLoop loop;

    TaskloopRunner(boolean measure) {
        this.measure = measure;
        this.loop = settings().name("bench").build();
    }

    private EventLoop.Builder settings() {
        return EventLoop.builder().measure(measure).watchdog(measure).admission(LoopState.ROOM); // W1 holds 200,000, W4 100,000 besides main
    }

    private <T> T inTask(AsyncCallable<T, RuntimeException> body) {
        T result = loop.spawn("main", body).join();
        noSpawnWaited(loop);
        return result;
    }

    /** Every run checks that admission control never made a spawn wait: the figures are the runtime's, not the limit's. */
    private static void noSpawnWaited(EventLoop l) {
        Verify.expect("spawns on loop '" + l.name() + "' that waited for admission", 0, l.snapshot().admission().waited());
    }

    @Override
    public Map<String, Object> spawnJoin(int n) {
        int[] ran = new int[1];
        long ns = inTask(() -> {
            long t0 = System.nanoTime();
            List<Task<Void>> children = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                children.add(Async.spawn(null, () -> {
                    ran[0]++;
                }));
            }
            for (Task<Void> child : children) {
                child.join();
            }
            return System.nanoTime() - t0;
        });
        Verify.expect("W1 children that ran", n, ran[0]);
        return Map.of("ns_per_task", (double) ns / n, "tasks", n);
    }

    @Override
    public Map<String, Object> pingPong(int n) {
        Queue<Integer> there = Queue.fifo("there", 1);
        Queue<Integer> back = Queue.fifo("back", 1);
        int[] returned = new int[1];
        long ns = inTask(() -> {
            long t0 = System.nanoTime();
            Task<Void> ping = Async.spawn("ping", () -> {
                for (int i = 0; i < n; i++) {
                    there.put(i);
                    int token = back.get();
                    Verify.that("W2 token " + token + " came back as " + i, token == i);
                    returned[0]++;
                }
            });
            Task<Void> pong = Async.spawn("pong", () -> {
                for (int i = 0; i < n; i++) {
                    back.put(there.get());
                }
            });
            ping.join();
            pong.join();
            return System.nanoTime() - t0;
        });
        Verify.expect("W2 round trips", n, returned[0]);
        return Map.of("ns_per_round_trip", (double) ns / n, "round_trips", n);
    }

    @Override
    public Map<String, Object> yieldAlone(int n) {
        int[] yields = new int[1];
        long ns = inTask(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Async.yieldNow();
                yields[0]++;
            }
            return System.nanoTime() - t0;
        });
        Verify.expect("W3 yields", n, yields[0]);
        return Map.of("ns_per_yield", (double) ns / n, "yields", n);
    }

    @Override
    public Map<String, Object> yieldCrowded(int n, int others) {
        int[] yields = new int[1];
        long[] otherYields = new long[1];
        long[] window = new long[2];
        boolean[] done = new boolean[1];
        inTask(() -> {
            List<Task<Void>> rest = new ArrayList<>(others);
            for (int k = 0; k < others; k++) {
                rest.add(Async.spawn("other-" + k, () -> {
                    while (!done[0]) {
                        Async.yieldNow();
                        otherYields[0]++;
                    }
                }));
            }
            Task<Void> measured = Async.spawn("measured", () -> {
                long o0 = otherYields[0];
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Async.yieldNow();
                    yields[0]++;
                }
                window[0] = System.nanoTime() - t0;
                window[1] = otherYields[0] - o0;
                done[0] = true;
            });
            measured.join();
            for (Task<Void> t : rest) {
                t.join();
            }
            return null;
        });
        Verify.expect("W3 yields of the measured task", n, yields[0]);
        Verify.that("W3 the " + others + " others yielded " + window[1] + " times while the measured task yielded "
                + n + " times (expected about " + (long) others * n + ")", Math.abs(window[1] - (long) others * n) <= 2L * others);
        return Map.of("ns_per_yield", (double) window[0] / n, "ns_per_switch", (double) window[0] / (n + window[1]),
                "yields", n, "other_yields", window[1]);
    }

    @Override
    public Map<String, Object> sleepers(int n, long sleepNanos, boolean memory) {
        Duration d = Duration.ofNanos(sleepNanos);
        long[] late = new long[n];
        int[] started = new int[1];
        int[] woke = new int[1];
        long[] r = new long[3];
        inTask(() -> {
            long before = memory ? Runner.heapAfterGc() : 0;
            long t0 = System.nanoTime();
            List<Task<Void>> ts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                ts.add(Async.spawn(null, () -> {
                    long s = System.nanoTime();
                    started[0]++;
                    Async.sleep(d);
                    late[k] = System.nanoTime() - (s + sleepNanos);
                    woke[0]++;
                }));
            }
            while (started[0] < n) {
                Async.yieldNow(); // every task ahead of us takes its first step: all asleep when we are back
            }
            r[1] = System.nanoTime() - t0;
            if (memory) {
                r[2] = Runner.heapAfterGc() - before;
            }
            for (Task<Void> t : ts) {
                t.join();
            }
            r[0] = System.nanoTime() - t0;
            return null;
        });
        Verify.expect("W4 tasks that woke", n, woke[0]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_ns", r[0]);
        m.put("all_asleep_ns", r[1]);
        if (memory) {
            m.put("bytes_per_task", (double) r[2] / n);
        }
        m.put("lateness_ns", late);
        m.put("tasks", n);
        return m;
    }

    @Override
    public Map<String, Object> fanOut(int gathers, int children, long sleepNanos) {
        Duration d = Duration.ofNanos(sleepNanos);
        int[] done = new int[1];
        long[] per = inTask(() -> {
            long[] p = new long[gathers];
            for (int g = 0; g < gathers; g++) {
                long t = System.nanoTime();
                List<Task<Void>> kids = new ArrayList<>(children);
                for (int c = 0; c < children; c++) {
                    kids.add(Async.spawn(null, () -> {
                        Async.sleep(d);
                        done[0]++;
                    }));
                }
                List<Void> results = Async.gather(kids);
                p[g] = System.nanoTime() - t;
                Verify.expect("W5 results of one gather", children, results.size());
            }
            return p;
        });
        Verify.expect("W5 children that slept and ended", (long) gathers * children, done[0]);
        long total = 0;
        for (long p : per) {
            total += p;
        }
        return Map.of("ms_per_gather", total / 1e6 / gathers, "gather_ns", per, "gathers", gathers, "children", children);
    }

    @Override
    public Map<String, Object> saturation(Schedule.Level level, long leadNanos) throws Exception {
        int loops = level.loops();
        EventLoopGroup group = loops == 1 ? null : EventLoopGroup.create("w6", loops, settings());
        try {
            List<EventLoop> ls = group == null ? List.of(loop) : group.loops();
            return saturation(level, leadNanos, ls);
        } finally {
            if (group != null) {
                group.close();
            }
        }
    }

    private Map<String, Object> saturation(Schedule.Level level, long leadNanos, List<EventLoop> ls) throws Exception {
        long[] arrivals = level.arrivals();
        int n = arrivals.length;
        int loops = ls.size();
        Schedule.Jobs jobs = new Schedule.Jobs(n);
        CountDownLatch started = new CountDownLatch(n);
        AtomicInteger startedLate = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        Duration pause = Duration.ofNanos(Schedule.PAUSE_NANOS);
        long t0 = System.nanoTime() + leadNanos;
        for (int k = 0; k < loops; k++) {
            int home = k;
            ls.get(k).spawn("spawner", () -> {
                for (int i = home; i < n; i += loops) {
                    int job = i;
                    Async.spawn(null, () -> {
                        long arrival = t0 + arrivals[job];
                        long now = System.nanoTime();
                        if (arrival - now <= 0) {
                            startedLate.incrementAndGet();
                        }
                        started.countDown();
                        Async.sleep(Duration.ofNanos(Math.max(0, arrival - now))); // ready at its arrival
                        long r1 = System.nanoTime();
                        Schedule.spinUntil(r1 + Schedule.SPIN_NANOS);
                        long e1 = System.nanoTime();
                        Async.sleep(pause); // ready again at e1 + 5 ms
                        long r2 = System.nanoTime();
                        Schedule.spinUntil(r2 + Schedule.SPIN_NANOS);
                        long e2 = System.nanoTime();
                        jobs.record(job, t0, r1, e1, r2, e2);
                        if (done.incrementAndGet() == n) {
                            all.complete(null);
                        }
                    });
                }
            }).join();
        }
        started.await();
        List<LoopSnapshot> before = ls.stream().map(EventLoop::snapshot).toList();
        boolean leadTooShort = startedLate.get() > 0 || System.nanoTime() - t0 >= 0;
        all.get(10, TimeUnit.MINUTES);
        if (leadTooShort) {
            throw new Schedule.LeadTooShort(level.name(), leadNanos);
        }
        List<LoopSnapshot> after = ls.stream().map(EventLoop::snapshot).toList();
        Verify.expect("W6 " + level.name() + " jobs that ended", n, done.get());
        ls.forEach(TaskloopRunner::noSpawnWaited);
        Map<String, Object> m = level.result(t0, jobs);
        List<Map<String, Object>> meters = new ArrayList<>();
        for (int k = 0; k < loops; k++) {
            LoopSnapshot s0 = before.get(k);
            LoopSnapshot s1 = after.get(k);
            LatencySnapshot lag = s1.lag().since(s0.lag());
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("window_ns", s1.elapsedNanos() - s0.elapsedNanos());
            mm.put("busy_ns", s1.busyNanos() - s0.busyNanos());
            mm.put("utilization", s1.utilizationSince(s0));
            mm.put("steps", s1.steps() - s0.steps());
            mm.put("lag_count", lag.count());
            mm.put("lag_total_ns", lag.totalNanos());
            mm.put("lag_mean_ns", lag.mean());
            mm.put("lag_p50_ns", lag.p50());
            mm.put("lag_p99_ns", lag.p99());
            mm.put("lag_max_ns", lag.maxNanos());
            meters.add(mm);
        }
        m.put("meters", meters);
        return m;
    }

    @Override
    public void close() {
        loop.close();
    }
}
