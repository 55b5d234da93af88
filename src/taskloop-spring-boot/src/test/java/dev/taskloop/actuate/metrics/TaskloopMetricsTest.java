package dev.taskloop.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.taskloop.actuate.LoopEvents;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.testing.Blocking;
import dev.taskloop.core.testing.ManualTicker;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.DeclaredTasksFixture;
import dev.taskloop.spring.support.LoopDirectory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code taskloop.*} meters: their values against what a scripted workload measured itself
 * (virtual time), names, descriptions and base units, and bounded cardinality.
 */
class TaskloopMetricsTest {

    private static final long MS = 1_000_000;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    private TaskloopMetrics bind(EventLoop loop, DeclaredTaskRegistry declared, MeterRegistry registry) {
        TaskloopMetrics metrics = new TaskloopMetrics(new LoopDirectory(List.of(loop), loop), declared, null);
        metrics.bindTo(registry);
        closeables.add(metrics);
        return metrics;
    }

    /** What tasks measured of themselves, reading the loop's time around each of their own segments. */
    static final class Truth {
        long awake;
        long asleep;
        long waiting;
        final List<Long> lags = new ArrayList<>();
        /** When the current sleep began, or -1 when not asleep. */
        long sleepingSince = -1;

        synchronized void ran(long lag) {
            lags.add(lag);
            waiting += lag;
        }

        synchronized void computed(long nanos) {
            awake += nanos;
        }

        synchronized void slept(long nanos) {
            asleep += nanos;
        }

        synchronized List<Long> lags() {
            return List.copyOf(lags);
        }
    }

    /**
     * The scripted workload: one declared task {@code poller} (sleeps 1 ms, then computes 15 ms and sleeps 100 ms, forever),
     * and an ad-hoc {@code main} that spawns four workers (five rounds of computing 7, 14, 21, 28 ms and
     * sleeping 20, 25, 30, 35 ms). They compete for the baton, so steps wait and lags vary.
     */
    @Test
    void theExportedAwakeAsleepWaitingTotalsAndLagHistogramAgreeWithWhatTheTasksMeasuredThemselves() {
        TestLoop test = TestLoop.create();
        closeables.add(test);
        ManualTicker ticker = test.ticker();
        Truth poller = new Truth();
        Truth adHoc = new Truth();
        DeclaredTaskRegistry declared = DeclaredTasksFixture.declare(DeclaredTasksFixture.continuous("poller", Restart.NEVER, ctx -> {
            long ready = 0; // spawned at time 0; its first step takes no time, so main is spawned at 0 too
            poller.ran(ticker.read() - ready);
            long s0 = ticker.read();
            Async.sleep(Duration.ofMillis(1));
            ready = s0 + MS;
            poller.slept(MS);
            while (true) {
                poller.ran(ticker.read() - ready);
                long t0 = ticker.read();
                ticker.advance(Duration.ofMillis(15));
                poller.computed(ticker.read() - t0);
                long sleepStart = ticker.read();
                poller.sleepingSince = sleepStart;
                Async.sleep(Duration.ofMillis(100));
                poller.sleepingSince = -1;
                ready = sleepStart + 100 * MS;
                poller.slept(100 * MS);
            }
        }));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TaskloopMetrics metrics = bind(test.loop(), declared, registry);
        DeclaredTasksFixture.start(new LoopDirectory(List.of(test.loop()), test.loop()), declared);
        test.loop().spawn("main", () -> {
            long start = ticker.read();
            adHoc.ran(start); // spawned at time 0
            for (int i = 0; i < 4; i++) {
                long compute = (i + 1) * 7 * MS;
                long sleep = (20 + 5 * i) * MS;
                Async.spawn("worker-" + i, () -> {
                    long ready = start;
                    for (int round = 0; round < 5; round++) {
                        adHoc.ran(ticker.read() - ready);
                        long t0 = ticker.read();
                        ticker.advance(Duration.ofNanos(compute));
                        adHoc.computed(ticker.read() - t0);
                        long sleepStart = ticker.read();
                        Async.sleep(Duration.ofNanos(sleep));
                        ready = sleepStart + sleep;
                        adHoc.slept(sleep);
                    }
                    adHoc.ran(ticker.read() - ready); // the last step only ends
                });
            }
        });
        test.advanceTimeBy(Duration.ofSeconds(2));
        metrics.flush(); // the lag samples still stored for the metrics thread
        long now = ticker.read();
        long pollerAsleep = poller.asleep + (poller.sleepingSince < 0 ? 0 : now - poller.sleepingSince);

        // Per-task time, declared (live attempt included) and ad-hoc (ended tasks).
        assertSeconds(registry, "taskloop.task.awake", "poller", poller.awake);
        assertSeconds(registry, "taskloop.task.asleep", "poller", pollerAsleep);
        assertSeconds(registry, "taskloop.task.waiting", "poller", poller.waiting);
        assertSeconds(registry, "taskloop.task.awake", TaskloopMetrics.AD_HOC, adHoc.awake);
        assertSeconds(registry, "taskloop.task.asleep", TaskloopMetrics.AD_HOC, adHoc.asleep);
        assertSeconds(registry, "taskloop.task.waiting", TaskloopMetrics.AD_HOC, adHoc.waiting);
        assertThat(adHoc.waiting).as("the script makes tasks wait").isGreaterThan(100 * MS);
        assertThat(adHoc.awake).isEqualTo(5 * (7 + 14 + 21 + 28) * MS);

        // The lag histogram: total, max, and how many steps waited longer than each bucket boundary.
        List<Long> lags = new ArrayList<>(poller.lags());
        lags.addAll(adHoc.lags());
        Timer lag = registry.get("taskloop.loop.lag").tag("loop", "test").timer();
        long truthTotal = lags.stream().mapToLong(Long::longValue).sum();
        long truthMax = lags.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(lag.totalTime(TimeUnit.NANOSECONDS)).isCloseTo(truthTotal, within(truthTotal * 0.05));
        assertThat(lag.max(TimeUnit.NANOSECONDS)).isCloseTo(truthMax, within(truthMax * 0.05));
        assertThat(lag.count()).as("every task step, plus the loop's own timer steps (lag 0)").isGreaterThanOrEqualTo(lags.size());
        StringBuilder figures = new StringBuilder();
        for (CountAtBucket b : lag.takeSnapshot().histogramCounts()) {
            long boundary = (long) b.bucket(TimeUnit.NANOSECONDS);
            long exportedAbove = lag.count() - (long) b.count();
            long truthAbove = lags.stream().filter(l -> l > boundary).count();
            assertThat((double) exportedAbove).as("steps with a lag above %d ns", boundary).isCloseTo(truthAbove, within(truthAbove * 0.05));
            figures.append(String.format(" >%s:%d/%d", Duration.ofNanos(boundary), exportedAbove, truthAbove));
        }
        System.out.printf("ground truth vs exported: poller awake %d/%s asleep %d/%s waiting %d/%s; ad-hoc awake %d asleep %d waiting %d;"
                        + " lag total %d/%d ns max %d/%d ns, steps %d (tasks) %d (exported); above bucket%s%n",
                poller.awake, seconds(registry, "taskloop.task.awake", "poller"), pollerAsleep,
                seconds(registry, "taskloop.task.asleep", "poller"), poller.waiting, seconds(registry, "taskloop.task.waiting", "poller"),
                adHoc.awake, adHoc.asleep, adHoc.waiting, truthTotal, (long) lag.totalTime(TimeUnit.NANOSECONDS), truthMax,
                (long) lag.max(TimeUnit.NANOSECONDS), lags.size(), lag.count(), figures);
    }

    private static double seconds(MeterRegistry registry, String name, String task) {
        return registry.get(name).tag("task", task).functionCounter().count();
    }

    private static void assertSeconds(MeterRegistry registry, String name, String task, long truthNanos) {
        assertThat(truthNanos).isPositive();
        assertThat(seconds(registry, name, task) * 1e9).as("%s{task=%s}", name, task).isCloseTo(truthNanos, within(truthNanos * 0.05));
    }

    @Test
    void everyMeterIsNamedAsInTheDesignAndHasADescriptionAndABaseUnit() {
        try (EventLoop loop = EventLoop.builder().name("main").build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            DeclaredTaskRegistry declared = DeclaredTasksFixture.declare(DeclaredTasksFixture.continuous("poller", Restart.NEVER,
                    ctx -> Async.sleep(Duration.ofDays(1))));
            bind(loop, declared, registry);
            List<Meter> meters = registry.getMeters().stream().filter(m -> m.getId().syntheticAssociation() == null).toList();
            Set<String> names = meters.stream().map(m -> m.getId().getName()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(names).containsExactly("taskloop.admission.lag.slo", "taskloop.admission.limit", "taskloop.admission.overloaded",
                    "taskloop.admission.spawns", "taskloop.admission.waiting", "taskloop.loop.lag", "taskloop.loop.queue.depth", "taskloop.loop.slow.steps",
                    "taskloop.loop.utilization", "taskloop.task.asleep", "taskloop.task.awake", "taskloop.task.restarts",
                    "taskloop.task.waiting", "taskloop.tasks.active", "taskloop.tasks.completed");
            for (Meter m : meters) {
                assertThat(m.getId().getDescription()).as("description of %s", m.getId()).isNotBlank();
                if (m.getId().getType() != Meter.Type.TIMER) { // a timer's unit is the registry's (seconds in Prometheus)
                    assertThat(m.getId().getBaseUnit()).as("base unit of %s", m.getId()).isNotBlank();
                }
                assertThat(m.getId().getTag("loop")).isEqualTo("main");
            }
            assertThat(registry.get("taskloop.task.awake").meters()).extracting(m -> m.getId().getTag("task"))
                    .containsExactlyInAnyOrder("poller", TaskloopMetrics.AD_HOC);
            assertThat(registry.get("taskloop.tasks.completed").meters()).extracting(m -> m.getId().getTag("outcome"))
                    .containsExactlyInAnyOrder("completed", "failed", "cancelled");
            assertThat(registry.get("taskloop.loop.slow.steps").meters()).extracting(m -> m.getId().getTag("blocked"))
                    .containsExactlyInAnyOrder("true", "false");
            assertThat(registry.get("taskloop.admission.spawns").meters()).extracting(m -> m.getId().getTag("outcome"))
                    .containsExactlyInAnyOrder("waited", "rejected", "shed");
            assertThat(registry.get("taskloop.admission.limit").gauge().getId().getTag("mode")).isEqualTo("wait");
        }
    }

    @Test
    void aHundredThousandAdHocTasksLeaveTheNumberOfSeriesUnchanged() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("main").build()) {
            SimpleMeterRegistry simple = new SimpleMeterRegistry();
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            DeclaredTaskRegistry declared = DeclaredTasksFixture.declare(DeclaredTasksFixture.continuous("poller", Restart.NEVER,
                    ctx -> Async.sleep(Duration.ofDays(1))));
            bind(loop, declared, simple);
            bind(loop, declared, prometheus);
            int meters = simple.getMeters().size();
            long series = series(prometheus.scrape());

            Task<Integer> main = loop.spawn("main", () -> {
                List<Task<Integer>> batch = new ArrayList<>();
                int done = 0;
                for (int i = 0; i < 100_000; i++) {
                    int n = i;
                    batch.add(Async.spawn("job-" + i, () -> {
                        Async.yieldNow();
                        return n;
                    }));
                    if (batch.size() == 1_000) {
                        done += Async.gather(batch).size();
                        batch.clear();
                    }
                }
                return done + Async.gather(batch).size();
            });
            assertThat(main.join()).isEqualTo(100_000);

            assertThat(simple.getMeters()).hasSize(meters);
            assertThat(series(prometheus.scrape())).isEqualTo(series);
            assertThat(loop.snapshot().completed()).isGreaterThanOrEqualTo(100_000);
            assertThat(simple.get("taskloop.tasks.completed").tag("outcome", "completed").functionCounter().count())
                    .isGreaterThanOrEqualTo(100_000);
            assertThat(simple.get("taskloop.task.awake").tag("task", TaskloopMetrics.AD_HOC).functionCounter().count()).isPositive();
            assertThat(prometheus.scrape()).doesNotContain("job-");
            System.out.printf("100,000 ad-hoc tasks: %d meters and %d Prometheus series before and after%n", meters, series);
        }
    }

    /** Sample lines of a Prometheus scrape (comments excluded): one per series. */
    private static long series(String scrape) {
        return scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    }

    @Test
    void anAdHocTaskNamedLikeADeclaredTaskIsCountedUnderAdHocAndNotAsTheDeclaredTask() {
        TestLoop test = TestLoop.create();
        closeables.add(test);
        ManualTicker ticker = test.ticker();
        DeclaredTaskRegistry declared = DeclaredTasksFixture.declare(DeclaredTasksFixture.continuous("producer", Restart.NEVER, ctx -> {
            ticker.advance(Duration.ofMillis(5));
            Async.sleep(Duration.ofDays(1));
        }));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        bind(test.loop(), declared, registry);
        DeclaredTasksFixture.start(new LoopDirectory(List.of(test.loop()), test.loop()), declared);
        test.runCurrent();

        Task<?> impostor = test.loop().spawn("producer", () -> ticker.advance(Duration.ofMillis(40)));
        test.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(impostor.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(seconds(registry, "taskloop.task.awake", "producer")).as("the declared task's own 5 ms only").isEqualTo(0.005);
        assertThat(seconds(registry, "taskloop.task.awake", TaskloopMetrics.AD_HOC)).as("the ad-hoc 'producer'").isEqualTo(0.040);
    }

    @Test
    void restartsOfADeclaredTaskAreCounted() {
        TestLoop test = TestLoop.create();
        closeables.add(test);
        int[] attempts = {0};
        DeclaredTaskRegistry declared = DeclaredTasksFixture.declare(DeclaredTasksFixture.continuous("flaky", Restart.ON_FAILURE, ctx -> {
            if (++attempts[0] <= 3) {
                throw new IllegalStateException("attempt " + attempts[0] + " failed");
            }
            Async.sleep(Duration.ofDays(1));
        }));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        bind(test.loop(), declared, registry);
        DeclaredTasksFixture.start(new LoopDirectory(List.of(test.loop()), test.loop()), declared);
        test.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(registry.get("taskloop.task.restarts").tag("task", "flaky").functionCounter().count()).isEqualTo(3);
    }

    @Test
    void loopGaugesAndCountersFollowTheLoop() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("main").slowStepThreshold(Duration.ofMillis(40)).build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            bind(loop, new DeclaredTaskRegistry(), registry);
            LoopEvents.awaitEnded(loop, "fine", () -> loop.spawn("fine", () -> 1));
            LoopEvents.awaitEnded(loop, "broken", () -> loop.spawn("broken", () -> {
                throw new IllegalStateException("boom");
            }).toCompletableFuture());
            Task<?> sleeper = loop.spawn("sleeper", () -> Async.sleep(Duration.ofDays(1)));
            assertThat(registry.get("taskloop.tasks.completed").tag("outcome", "completed").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("taskloop.tasks.completed").tag("outcome", "failed").functionCounter().count()).isEqualTo(1);

            // Slow steps, counted as deltas around each (a first step elsewhere may be slow on a busy machine).
            double blocked0 = registry.get("taskloop.loop.slow.steps").tag("blocked", "true").functionCounter().count();
            double computing0 = registry.get("taskloop.loop.slow.steps").tag("blocked", "false").functionCounter().count();
            LoopEvents.awaitEnded(loop, "blocker", () -> loop.spawn("blocker", () -> Blocking.sleep(Duration.ofMillis(100)))); // holds the baton in a non-Taskloop wait
            assertThat(registry.get("taskloop.loop.slow.steps").tag("blocked", "true").functionCounter().count()).isEqualTo(blocked0 + 1);
            assertThat(registry.get("taskloop.loop.slow.steps").tag("blocked", "false").functionCounter().count()).isEqualTo(computing0);
            LoopEvents.awaitEnded(loop, "computer", () -> loop.spawn("computer", () -> {
                long end = System.nanoTime() + 100 * MS;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // computing: holds the baton on purpose
                }
            }));
            assertThat(registry.get("taskloop.loop.slow.steps").tag("blocked", "false").functionCounter().count())
                    .isEqualTo(computing0 + 1);
            assertThat(registry.get("taskloop.loop.slow.steps").tag("blocked", "true").functionCounter().count()).isEqualTo(blocked0 + 1);

            assertThat(registry.get("taskloop.tasks.active").gauge().value()).isEqualTo(1);
            assertThat(registry.get("taskloop.loop.utilization").gauge().value()).isBetween(0.0, 1.0);
            assertThat(registry.get("taskloop.tasks.completed").tag("outcome", "completed").functionCounter().count()).isEqualTo(3);
            LoopEvents.awaitEnded(loop, "sleeper", sleeper::cancel);
            assertThat(registry.get("taskloop.tasks.completed").tag("outcome", "cancelled").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("taskloop.tasks.active").gauge().value()).isZero();
            assertThat(registry.get("taskloop.loop.queue.depth").gauge().value()).isZero();
        }
    }

    @Test
    void afterCloseTheLoopNoLongerFeedsTheMeters() {
        try (EventLoop loop = EventLoop.builder().name("main").build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            TaskloopMetrics metrics = bind(loop, new DeclaredTaskRegistry(), registry);
            loop.spawn(() -> 1).join();
            metrics.close(); // records what is stored, then stops
            long count = registry.get("taskloop.loop.lag").timer().count();
            assertThat(count).isPositive();
            loop.spawn(() -> 1).join();
            metrics.flush();
            assertThat(registry.get("taskloop.loop.lag").timer().count()).isEqualTo(count);
        }
    }

    @Test
    void theLagHistogramIsExportedToPrometheusWithFixedBuckets() {
        try (EventLoop loop = EventLoop.builder().name("main").build()) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            bind(loop, new DeclaredTaskRegistry(), prometheus).flush();
            loop.spawn(() -> 1).join();
            String scrape = prometheus.scrape();
            assertThat(scrape).contains("# TYPE taskloop_loop_lag_seconds histogram")
                    .contains("taskloop_loop_lag_seconds_bucket{loop=\"main\",le=\"0.001\"}")
                    .contains("taskloop_loop_lag_seconds_bucket{loop=\"main\",le=\"+Inf\"}")
                    .contains("taskloop_loop_queue_depth_tasks{loop=\"main\"}")
                    .contains("taskloop_task_awake_seconds_total{loop=\"main\",task=\"<ad-hoc>\"}");
            assertThat(scrape.lines().filter(l -> l.startsWith("taskloop_loop_lag_seconds_bucket"))).hasSize(
                    TaskloopMetrics.LAG_BUCKETS.size() + 1);
            assertThat(scrape).doesNotContain("quantile");
        }
    }

    @Test
    void theLagRecorderStoresSamplesForTheMetricsThreadAndRecordsDirectlyWhenItsRingIsFull() {
        Timer timer = Timer.builder("lag").register(new SimpleMeterRegistry());
        LagRecorder recorder = new LagRecorder(timer);
        for (int i = 1; i <= LagRecorder.CAPACITY; i++) {
            recorder.accept(i);
        }
        assertThat(timer.count()).as("stored, not recorded yet").isZero();
        recorder.accept(1_000_000_000L); // the ring is full: recorded at once
        assertThat(timer.count()).isEqualTo(1);
        recorder.drain();
        assertThat(timer.count()).isEqualTo(LagRecorder.CAPACITY + 1);
        long sum = (long) LagRecorder.CAPACITY * (LagRecorder.CAPACITY + 1) / 2 + 1_000_000_000L;
        assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(sum);
        recorder.accept(7);
        recorder.drain();
        recorder.drain();
        assertThat(timer.count()).isEqualTo(LagRecorder.CAPACITY + 2);
    }

    @Test
    void theMetricsThreadRecordsStoredLagSamplesWithoutBeingAsked() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("main").build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            bind(loop, new DeclaredTaskRegistry(), registry);
            loop.spawn(() -> 1).join();
            Timer lag = registry.get("taskloop.loop.lag").timer();
            // the drainer runs every 50 ms on its own thread
            Awaitility.await("the lag samples recorded").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .untilAsserted(() -> assertThat(lag.count()).isPositive());
        }
    }

    @Test
    void theRunObservationsMetersGetADescription() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(TaskloopMetrics.describeRunObservations());
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
        Observation.createNotStarted("taskloop.task.run", observations).lowCardinalityKeyValue("taskloop.task", "ticker").observe(() -> { });
        assertThat(Search.in(registry).name("taskloop.task.run").timer().getId().getDescription())
                .isEqualTo("Runs of periodic declared tasks (fixedRate, fixedDelay, cron)");
        assertThat(Search.in(registry).name("taskloop.task.run.active").longTaskTimer().getId().getDescription())
                .isEqualTo("Runs of periodic declared tasks in progress");
        assertThat(Search.in(registry).name("taskloop.task.run").timer().getId().getTag("taskloop.task")).isEqualTo("ticker");
    }
}
