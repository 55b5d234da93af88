package dev.taskloop.bench.compare;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 15's approach (b), measured as its ceiling: the workloads on a bare event loop built on the
 * JDK's internal {@code jdk.internal.vm.Continuation}, every task a continuation that the loop's
 * one platform thread runs, a switch a {@code Continuation.yield} back to the loop and a
 * {@code Continuation.run} of the next. Nothing else: no cancellation, scopes, time accounting,
 * watchdog, {@code ThreadLocal} per task or stack per task for the endpoint. It is what a
 * continuation backend of Taskloop could at best reach, not a backend: see the README's "Loop
 * backends" for why it was not shipped.
 *
 * <p>Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (compare.py passes it);
 * without it the runner fails at once naming the flag. Single-threaded per loop: the loop's fields
 * need no synchronization. W6 runs one such loop per platform thread.
 */
final class ContinuationRunner implements Runner {

    static final String FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";
    private static final MethodHandle NEW_SCOPE;
    private static final MethodHandle NEW_CONTINUATION;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle IS_DONE;

    static {
        try {
            Class<?> scope = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup l = MethodHandles.lookup(); // exported to the unnamed module only: the public lookup may not see it
            NEW_SCOPE = l.findConstructor(scope, MethodType.methodType(void.class, String.class)).asType(MethodType.methodType(Object.class, String.class));
            NEW_CONTINUATION = l.findConstructor(cont, MethodType.methodType(void.class, scope, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            RUN = l.findVirtual(cont, "run", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class));
            YIELD = l.findStatic(cont, "yield", MethodType.methodType(boolean.class, scope)).asType(MethodType.methodType(boolean.class, Object.class));
            IS_DONE = l.findVirtual(cont, "isDone", MethodType.methodType(boolean.class)).asType(MethodType.methodType(boolean.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("the continuations runtime needs the JVM flag " + FLAG + " (" + e + ")", e);
        }
    }

    /** One task: its continuation, whether it ended, and who waits for that. */
    static final class Fiber {
        final Object continuation;
        boolean done;
        Object result;
        final ArrayDeque<Fiber> joiners = new ArrayDeque<>(1);

        Fiber(Object continuation) {
            this.continuation = continuation;
        }
    }

    /** A sleeping fiber: due at {@code deadline}, then in the order it went to sleep. */
    record Timer(long deadline, long seq, Fiber fiber) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** A loop: one thread runs {@link #run}; every other method is called by the fiber it runs. */
    static final class Loop {
        final Object scope;
        final ArrayDeque<Fiber> ready = new ArrayDeque<>();
        final PriorityQueue<Timer> timers = new PriorityQueue<>();
        long timerSeq;
        Fiber current;

        Loop(String name) {
            try {
                scope = NEW_SCOPE.invokeExact(name);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        Fiber spawn(Runnable body) {
            Fiber f;
            try {
                f = new Fiber(NEW_CONTINUATION.invokeExact(scope, body));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            ready.add(f);
            return f;
        }

        /** Back to the loop; whoever queued the current fiber somewhere will make it ready again. */
        void suspend() {
            boolean yielded;
            try {
                yielded = (boolean) YIELD.invokeExact(scope);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            if (!yielded) {
                throw new IllegalStateException("a continuation could not yield (pinned: a monitor held or a native frame)");
            }
        }

        void yieldNow() {
            if (ready.isEmpty() && (timers.isEmpty() || timers.peek().deadline - System.nanoTime() > 0)) {
                return; // nothing else to run: no switch (Taskloop's yield does the same)
            }
            ready.add(current);
            suspend();
        }

        void sleep(long nanos) {
            timers.add(new Timer(System.nanoTime() + nanos, timerSeq++, current));
            suspend();
        }

        void join(Fiber f) {
            if (!f.done) {
                f.joiners.add(current);
                suspend();
            }
        }

        /** Runs fibers until {@code until} has ended (and every ready fiber before it). */
        void run(Fiber until) {
            while (!until.done) {
                long now = System.nanoTime();
                for (Timer t = timers.peek(); t != null && t.deadline - now <= 0; t = timers.peek()) {
                    ready.add(timers.poll().fiber); // every due timer at once: a batch, not one loop turn each
                }
                Fiber f = ready.poll();
                if (f == null) {
                    Timer t = timers.peek();
                    if (t == null) {
                        throw new IllegalStateException("nothing ready, nothing asleep, and the main fiber has not ended: a lost wake-up");
                    }
                    LockSupport.parkNanos(t.deadline - now);
                    continue;
                }
                current = f;
                try {
                    RUN.invokeExact(f.continuation);
                } catch (Throwable e) {
                    throw new IllegalStateException("a fiber failed", e);
                } finally {
                    current = null;
                }
                boolean ended;
                try {
                    ended = (boolean) IS_DONE.invokeExact(f.continuation);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
                if (ended) {
                    f.done = true;
                    for (Fiber j; (j = f.joiners.poll()) != null; ) {
                        ready.add(j);
                    }
                }
            }
        }

        @SuppressWarnings("unchecked")
        <T> T inFiber(java.util.function.Supplier<T> body) {
            Fiber[] main = new Fiber[1];
            main[0] = spawn(() -> main[0].result = body.get());
            run(main[0]);
            return (T) main[0].result;
        }
    }

    /** asyncio.Queue's algorithm with capacity: items, and the fibers waiting to get and to put. */
    static final class BoundedQueue<T> {
        private final Loop loop;
        private final int capacity;
        private final ArrayDeque<T> items = new ArrayDeque<>();
        private final ArrayDeque<Fiber> getters = new ArrayDeque<>();
        private final ArrayDeque<Fiber> putters = new ArrayDeque<>();

        BoundedQueue(Loop loop, int capacity) {
            this.loop = loop;
            this.capacity = capacity;
        }

        void put(T item) {
            while (items.size() >= capacity) {
                putters.add(loop.current);
                loop.suspend();
            }
            items.add(item);
            Fiber g = getters.poll();
            if (g != null) {
                loop.ready.add(g);
            }
        }

        T get() {
            while (items.isEmpty()) {
                getters.add(loop.current);
                loop.suspend();
            }
            T item = items.poll();
            Fiber p = putters.poll();
            if (p != null) {
                loop.ready.add(p);
            }
            return item;
        }
    }

    private final Loop loop = new Loop("bench");

    @Override
    public Map<String, Object> spawnJoin(int n) {
        int[] ran = new int[1];
        long ns = loop.inFiber(() -> {
            long t0 = System.nanoTime();
            List<Fiber> children = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                children.add(loop.spawn(() -> ran[0]++));
            }
            for (Fiber child : children) {
                loop.join(child);
            }
            return System.nanoTime() - t0;
        });
        Verify.expect("W1 children that ran", n, ran[0]);
        return Map.of("ns_per_task", (double) ns / n, "tasks", n);
    }

    @Override
    public Map<String, Object> pingPong(int n) {
        BoundedQueue<Integer> there = new BoundedQueue<>(loop, 1);
        BoundedQueue<Integer> back = new BoundedQueue<>(loop, 1);
        int[] returned = new int[1];
        long ns = loop.inFiber(() -> {
            long t0 = System.nanoTime();
            Fiber ping = loop.spawn(() -> {
                for (int i = 0; i < n; i++) {
                    there.put(i);
                    int token = back.get();
                    Verify.that("W2 token " + token + " came back as " + i, token == i);
                    returned[0]++;
                }
            });
            Fiber pong = loop.spawn(() -> {
                for (int i = 0; i < n; i++) {
                    back.put(there.get());
                }
            });
            loop.join(ping);
            loop.join(pong);
            return System.nanoTime() - t0;
        });
        Verify.expect("W2 round trips", n, returned[0]);
        return Map.of("ns_per_round_trip", (double) ns / n, "round_trips", n);
    }

    @Override
    public Map<String, Object> yieldAlone(int n) {
        int[] yields = new int[1];
        long ns = loop.inFiber(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                loop.yieldNow();
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
        loop.inFiber(() -> {
            List<Fiber> rest = new ArrayList<>(others);
            for (int k = 0; k < others; k++) {
                rest.add(loop.spawn(() -> {
                    while (!done[0]) {
                        loop.yieldNow();
                        otherYields[0]++;
                    }
                }));
            }
            Fiber measured = loop.spawn(() -> {
                long o0 = otherYields[0];
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    loop.yieldNow();
                    yields[0]++;
                }
                window[0] = System.nanoTime() - t0;
                window[1] = otherYields[0] - o0;
                done[0] = true;
            });
            loop.join(measured);
            for (Fiber t : rest) {
                loop.join(t);
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
        long[] late = new long[n];
        int[] started = new int[1];
        int[] woke = new int[1];
        long[] r = new long[3];
        loop.inFiber(() -> {
            long before = memory ? Runner.heapAfterGc() : 0;
            long t0 = System.nanoTime();
            List<Fiber> ts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                ts.add(loop.spawn(() -> {
                    long s = System.nanoTime();
                    started[0]++;
                    loop.sleep(sleepNanos);
                    late[k] = System.nanoTime() - (s + sleepNanos);
                    woke[0]++;
                }));
            }
            while (started[0] < n) {
                loop.yieldNow();
            }
            r[1] = System.nanoTime() - t0;
            if (memory) {
                r[2] = Runner.heapAfterGc() - before;
            }
            for (Fiber t : ts) {
                loop.join(t);
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
        int[] done = new int[1];
        long[] per = loop.inFiber(() -> {
            long[] p = new long[gathers];
            for (int g = 0; g < gathers; g++) {
                long t = System.nanoTime();
                List<Fiber> kids = new ArrayList<>(children);
                for (int c = 0; c < children; c++) {
                    kids.add(loop.spawn(() -> {
                        loop.sleep(sleepNanos);
                        done[0]++;
                    }));
                }
                int results = 0;
                for (Fiber k : kids) {
                    loop.join(k);
                    results++;
                }
                p[g] = System.nanoTime() - t;
                Verify.expect("W5 results of one gather", children, results);
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

    /** W6: one loop per platform thread, job {@code i} on loop {@code i % loops}, as the others. */
    @Override
    public Map<String, Object> saturation(Schedule.Level level, long leadNanos) throws Exception {
        long[] arrivals = level.arrivals();
        int n = arrivals.length;
        int loops = level.loops();
        Schedule.Jobs jobs = new Schedule.Jobs(n);
        CountDownLatch started = new CountDownLatch(n);
        AtomicInteger startedLate = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime() + leadNanos;
        List<Thread> threads = new ArrayList<>(loops);
        Throwable[] failed = new Throwable[1];
        for (int k = 0; k < loops; k++) {
            int home = k;
            Loop l = new Loop("w6-" + k);
            threads.add(Thread.ofPlatform().name("w6-" + k).start(() -> {
                try {
                    l.inFiber(() -> {
                        List<Fiber> mine = new ArrayList<>();
                        for (int i = home; i < n; i += loops) {
                            int job = i;
                            mine.add(l.spawn(() -> {
                                long arrival = t0 + arrivals[job];
                                long now = System.nanoTime();
                                if (arrival - now <= 0) {
                                    startedLate.incrementAndGet();
                                }
                                started.countDown();
                                l.sleep(Math.max(0, arrival - now)); // ready at its arrival
                                long r1 = System.nanoTime();
                                Schedule.spinUntil(r1 + Schedule.SPIN_NANOS);
                                long e1 = System.nanoTime();
                                l.sleep(Schedule.PAUSE_NANOS); // ready again at e1 + 5 ms
                                long r2 = System.nanoTime();
                                Schedule.spinUntil(r2 + Schedule.SPIN_NANOS);
                                long e2 = System.nanoTime();
                                jobs.record(job, t0, r1, e1, r2, e2);
                                done.incrementAndGet();
                            }));
                        }
                        for (Fiber f : mine) {
                            l.join(f);
                        }
                        return null;
                    });
                } catch (Throwable e) {
                    failed[0] = e;
                }
            }));
        }
        started.await();
        boolean leadTooShort = startedLate.get() > 0 || System.nanoTime() - t0 >= 0;
        for (Thread t : threads) {
            t.join();
        }
        if (failed[0] != null) {
            throw new IllegalStateException("W6 failed", failed[0]);
        }
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
