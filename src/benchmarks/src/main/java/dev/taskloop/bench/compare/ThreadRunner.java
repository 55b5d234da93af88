package dev.taskloop.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workloads on plain JDK virtual threads, no Taskloop: the floor Taskloop's baton is built on.
 * They run in parallel on every carrier (2 here), so shared counters are atomic. W6 has no loop
 * to saturate, so its "baton" is a fair {@link ReentrantLock} per loop that a job holds while it
 * computes: waiting is the time from ready to holding the lock.
 */
final class ThreadRunner implements Runner {

    private static <T> T inThread(Callable<T> body) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofVirtual().name("main").start(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get();
    }

    @Override
    public Map<String, Object> spawnJoin(int n) throws Exception {
        AtomicInteger ran = new AtomicInteger();
        long ns = inThread(() -> {
            long t0 = System.nanoTime();
            List<Thread> children = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                children.add(Thread.ofVirtual().start(ran::incrementAndGet));
            }
            for (Thread child : children) {
                child.join();
            }
            return System.nanoTime() - t0;
        });
        Verify.expect("W1 children that ran", n, ran.get());
        return Map.of("ns_per_task", (double) ns / n, "tasks", n);
    }

    @Override
    public Map<String, Object> pingPong(int n) throws Exception {
        BlockingQueue<Integer> there = new ArrayBlockingQueue<>(1);
        BlockingQueue<Integer> back = new ArrayBlockingQueue<>(1);
        AtomicInteger returned = new AtomicInteger();
        long ns = inThread(() -> {
            long t0 = System.nanoTime();
            Thread ping = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        there.put(i);
                        int token = back.take();
                        Verify.that("W2 token " + token + " came back as " + i, token == i);
                        returned.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread pong = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        back.put(there.take());
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            ping.join();
            pong.join();
            return System.nanoTime() - t0;
        });
        Verify.expect("W2 round trips", n, returned.get());
        return Map.of("ns_per_round_trip", (double) ns / n, "round_trips", n);
    }

    @Override
    public Map<String, Object> yieldAlone(int n) throws Exception {
        int[] yields = new int[1];
        long ns = inThread(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Thread.yield();
                yields[0]++;
            }
            return System.nanoTime() - t0;
        });
        Verify.expect("W3 yields", n, yields[0]);
        return Map.of("ns_per_yield", (double) ns / n, "yields", n);
    }

    @Override
    public Map<String, Object> yieldCrowded(int n, int others) throws Exception {
        AtomicLong otherYields = new AtomicLong();
        AtomicInteger yields = new AtomicInteger();
        long[] window = new long[2];
        inThread(() -> {
            List<Thread> rest = new ArrayList<>(others);
            AtomicBoolean finished = new AtomicBoolean();
            for (int k = 0; k < others; k++) {
                rest.add(Thread.ofVirtual().start(() -> {
                    while (!finished.get()) {
                        Thread.yield();
                        otherYields.incrementAndGet();
                    }
                }));
            }
            Thread measured = Thread.ofVirtual().start(() -> {
                long o0 = otherYields.get();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Thread.yield();
                    yields.incrementAndGet();
                }
                window[0] = System.nanoTime() - t0;
                window[1] = otherYields.get() - o0;
                finished.set(true);
            });
            measured.join();
            for (Thread t : rest) {
                t.join();
            }
            return null;
        });
        Verify.expect("W3 yields of the measured task", n, yields.get());
        return Map.of("ns_per_yield", (double) window[0] / n, "ns_per_switch", (double) window[0] / (n + window[1]),
                "yields", n, "other_yields", window[1]);
    }

    @Override
    public Map<String, Object> sleepers(int n, long sleepNanos, boolean memory) throws Exception {
        Duration d = Duration.ofNanos(sleepNanos);
        long[] late = new long[n];
        CountDownLatch started = new CountDownLatch(n);
        AtomicInteger woke = new AtomicInteger();
        long[] r = new long[3];
        inThread(() -> {
            long before = memory ? Runner.heapAfterGc() : 0;
            long t0 = System.nanoTime();
            List<Thread> ts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                ts.add(Thread.ofVirtual().start(() -> {
                    long s = System.nanoTime();
                    started.countDown();
                    try {
                        Thread.sleep(d);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    late[k] = System.nanoTime() - (s + sleepNanos);
                    woke.incrementAndGet();
                }));
            }
            started.await();
            r[1] = System.nanoTime() - t0;
            if (memory) {
                r[2] = Runner.heapAfterGc() - before;
            }
            for (Thread t : ts) {
                t.join();
            }
            r[0] = System.nanoTime() - t0;
            return null;
        });
        Verify.expect("W4 tasks that woke", n, woke.get());
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
    public Map<String, Object> fanOut(int gathers, int children, long sleepNanos) throws Exception {
        Duration d = Duration.ofNanos(sleepNanos);
        AtomicInteger done = new AtomicInteger();
        long[] per = inThread(() -> {
            long[] p = new long[gathers];
            for (int g = 0; g < gathers; g++) {
                long t = System.nanoTime();
                List<Thread> kids = new ArrayList<>(children);
                for (int c = 0; c < children; c++) {
                    kids.add(Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(d);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        done.incrementAndGet();
                    }));
                }
                for (Thread k : kids) {
                    k.join();
                }
                p[g] = System.nanoTime() - t;
            }
            return p;
        });
        Verify.expect("W5 children that slept and ended", (long) gathers * children, done.get());
        long total = 0;
        for (long p : per) {
            total += p;
        }
        return Map.of("ms_per_gather", total / 1e6 / gathers, "gather_ns", per, "gathers", gathers, "children", children);
    }

    @Override
    public Map<String, Object> saturation(Schedule.Level level, long leadNanos) throws Exception {
        long[] arrivals = level.arrivals();
        int n = arrivals.length;
        int loops = level.loops();
        ReentrantLock[] batons = new ReentrantLock[loops];
        for (int k = 0; k < loops; k++) {
            batons[k] = new ReentrantLock(true);
        }
        Schedule.Jobs jobs = new Schedule.Jobs(n);
        CountDownLatch started = new CountDownLatch(n);
        AtomicInteger startedLate = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        long t0 = System.nanoTime() + leadNanos;
        for (int i = 0; i < n; i++) {
            int job = i;
            ReentrantLock baton = batons[i % loops];
            Thread.ofVirtual().start(() -> {
                try {
                    long arrival = t0 + arrivals[job];
                    long now = System.nanoTime();
                    if (arrival - now <= 0) {
                        startedLate.incrementAndGet();
                    }
                    started.countDown();
                    Thread.sleep(Duration.ofNanos(Math.max(0, arrival - now)));
                    baton.lock();
                    long r1;
                    long e1;
                    try {
                        r1 = System.nanoTime();
                        Schedule.spinUntil(r1 + Schedule.SPIN_NANOS);
                        e1 = System.nanoTime();
                    } finally {
                        baton.unlock();
                    }
                    Thread.sleep(Duration.ofNanos(Schedule.PAUSE_NANOS));
                    baton.lock();
                    long r2;
                    long e2;
                    try {
                        r2 = System.nanoTime();
                        Schedule.spinUntil(r2 + Schedule.SPIN_NANOS);
                        e2 = System.nanoTime();
                    } finally {
                        baton.unlock();
                    }
                    jobs.record(job, t0, r1, e1, r2, e2);
                    if (done.incrementAndGet() == n) {
                        all.complete(null);
                    }
                } catch (InterruptedException e) {
                    all.completeExceptionally(e);
                }
            });
        }
        started.await();
        boolean leadTooShort = startedLate.get() > 0 || System.nanoTime() - t0 >= 0;
        all.get(10, TimeUnit.MINUTES);
        if (leadTooShort) {
            throw new Schedule.LeadTooShort(level.name(), leadNanos);
        }
        Verify.expect("W6 " + level.name() + " jobs that ended", n, done.get());
        return level.result(t0, jobs);
    }

    @Override
    public void close() {
    }
}
