package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Admission;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.core.spi.SlowStep;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;

/**
 * The loop monitor: stuck and saturated loops, the recent window, and the availability states it
 * publishes (in virtual time where the figures come from loop time; with a real blocked loop for
 * the stuck case, which is wall time).
 */
class LoopMonitorTest {

    private static final Duration MS = Duration.ofMillis(1);

    private final TestLoop test = TestLoop.create();
    private final DeclaredTaskRegistry declared = new DeclaredTaskRegistry();
    private final List<AvailabilityState> published = new CopyOnWriteArrayList<>();
    private LoopMonitor monitor;

    @AfterEach
    void close() {
        test.close();
    }

    private LoopMonitor monitor(EventLoop loop, LoopAssessment.Settings settings) {
        LoopDirectory loops = new LoopDirectory(List.of(loop), loop);
        TaskloopLifecycle lifecycle = TaskloopLifecycle.builder(loops, declared).shutdownTimeout(Duration.ofSeconds(1)).build();
        lifecycle.start();
        monitor = new LoopMonitor(loops, declared, lifecycle, event -> {
            if (event instanceof AvailabilityChangeEvent<?> e) {
                published.add(e.getState());
                monitor.onApplicationEvent(e); // as the application context would deliver it back
            }
        }, new DefaultListableBeanFactory().getBeanProvider(ApplicationAvailability.class), settings);
        return monitor;
    }

    private static LoopAssessment.Settings settings(Duration stuck, Duration lag, Duration window, boolean availability) {
        return new LoopAssessment.Settings(stuck, lag, window, Duration.ofMillis(100), availability);
    }

    /** The application (Spring Boot, after startup) declares itself ready. */
    private void applicationReady() {
        monitor.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
    }

    /**
     * A task computes {@code ms} of virtual time while another is ready: that one's lag is {@code ms}
     * (spawned by one task, so that both are queued before either runs: three steps).
     */
    private void hogFor(long ms) {
        test.loop().spawn("main", () -> {
            Async.spawn("hog", () -> test.ticker().advance(Duration.ofMillis(ms)));
            Async.spawn("victim", () -> { });
        });
        test.runCurrent();
    }

    /** Advances virtual time by {@code seconds}, one second at a time, sampling the loop after each. */
    private void idleSampling(int seconds) {
        for (int i = 0; i < seconds; i++) {
            test.advanceTimeBy(Duration.ofSeconds(1));
            test.loop().spawn("tick", () -> { });
            test.runCurrent();
            monitor.record(test.loop().snapshot());
        }
    }

    @Test
    void aLoopIsSaturatedWhileItsRecentLagP99IsOverTheThresholdAndRecoversOnceTheWindowHasPassed() {
        monitor(test.loop(), settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(8), true));
        monitor.record(test.loop().snapshot());
        hogFor(300);

        LoopAssessment.LoopHealth h = monitor.assess(test.loop().snapshot());
        assertThat(h.condition()).isEqualTo(LoopAssessment.Condition.SATURATED);
        assertThat(h.recent().lag().p99()).isBetween(300 * MS.toNanos(), 340 * MS.toNanos()); // 12.5 % bucket error at most
        assertThat(monitor.assess().problems()).singleElement().asString()
                .startsWith("loop 'test' is saturated: lag p99 3").contains("(threshold 100 ms, 3 steps)");

        idleSampling(7);
        assertThat(monitor.assess(test.loop().snapshot()).condition()).as("7 s later, still inside the 8 s window")
                .isEqualTo(LoopAssessment.Condition.SATURATED);
        idleSampling(3);
        LoopAssessment.LoopHealth later = monitor.assess(test.loop().snapshot());
        assertThat(later.condition()).isEqualTo(LoopAssessment.Condition.OK);
        assertThat(later.recent().windowNanos()).isBetween(Duration.ofSeconds(7).toNanos(), Duration.ofSeconds(8).toNanos());
        assertThat(later.recent().lag().maxNanos()).isLessThan(MS.toNanos());
        assertThat(later.snapshot().lag().maxNanos()).as("since start it is still there").isEqualTo(300 * MS.toNanos());
    }

    @Test
    void recentUtilizationIsTheShareOfTheWindowTheBatonWasHeld() {
        monitor(test.loop(), settings(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(4), true));
        // 10 s of a task computing 250 ms every second: 25 % busy.
        test.loop().spawn("worker", () -> {
            for (int i = 0; i < 10; i++) {
                test.ticker().advance(Duration.ofMillis(250));
                Async.sleep(Duration.ofMillis(750));
            }
        });
        for (int i = 0; i < 10; i++) {
            test.advanceTimeBy(Duration.ofSeconds(1));
            monitor.record(test.loop().snapshot());
        }
        test.advanceTimeBy(Duration.ofSeconds(2)); // then 2 s idle
        LoopSnapshot now = test.loop().snapshot();
        LoopAssessment.Recent r = monitor.assess(now).recent();
        assertThat(r.windowNanos()).isBetween(Duration.ofMillis(3_500).toNanos(), Duration.ofSeconds(4).toNanos());
        // Ground truth: the worker computed in [k s, k s + 250 ms] for k = 0..9.
        long from = now.elapsedNanos() - r.windowNanos();
        long busy = 0;
        for (int k = 0; k < 10; k++) {
            long start = Duration.ofSeconds(k).toNanos();
            long end = start + Duration.ofMillis(250).toNanos();
            busy += Math.max(0, Math.min(end, now.elapsedNanos()) - Math.max(start, from));
        }
        assertThat(busy).isPositive();
        assertThat(r.utilization()).isCloseTo((double) busy / r.windowNanos(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aLoopWhoseBatonIsHeldPastTheStuckThresholdIsStuckAndBreaksLivenessUntilItIsReleased() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (EventLoop loop = EventLoop.builder().name("real").slowStepThreshold(Duration.ofMillis(50))
                .listener(new LoopListener() {
                    @Override
                    public void slowStep(SlowStep step) {
                        if (step.ongoing()) {
                            reported.countDown();
                        }
                    }
                }).build()) {
            monitor(loop, settings(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(10), true));
            applicationReady();
            assertThat(published).isEmpty();
            Task<?> blocker = loop.spawn("blocker", () -> release.await()); // blocks: keeps the baton
            assertThat(reported.await(10, TimeUnit.SECONDS)).as("the watchdog saw the step run past 50 ms").isTrue();

            monitor.check();
            LoopAssessment a = monitor.assess();
            assertThat(a.loops()).singleElement().extracting(LoopAssessment.LoopHealth::condition).isEqualTo(LoopAssessment.Condition.STUCK);
            assertThat(a.brokenReasons()).singleElement().asString()
                    .startsWith("loop 'real' is stuck: task 'blocker' (id " + blocker.id() + ") has held its baton for ");
            assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC, LivenessState.BROKEN);

            monitor.check();
            assertThat(published).as("published once per change").hasSize(2);

            release.countDown();
            blocker.join();
            // join() returns as the blocker ends, a moment before it hands the baton on: a task queued
            // after it has run once that hand-off is done.
            loop.spawn("after", () -> { }).join();
            monitor.check();
            assertThat(monitor.assess().loops()).singleElement().extracting(LoopAssessment.LoopHealth::condition)
                    .isEqualTo(LoopAssessment.Condition.OK);
            assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC, LivenessState.BROKEN,
                    ReadinessState.ACCEPTING_TRAFFIC, LivenessState.CORRECT);
        }
    }

    @Test
    void readinessReturnsOnlyWhenBothTheSaturationAndTheAwaitStartedHoldHaveCleared() {
        declared.add(TaskSpec.builder("warmup").restart(Restart.NEVER).backoff(new Backoff(Duration.ZERO, Duration.ZERO, 1, 0))
                .intensity(new RestartIntensity(1, Duration.ofSeconds(1))).awaitStarted(true).body(ctx -> {
                    Async.sleep(Duration.ofSeconds(5));
                    ctx.started();
                    Async.sleep(Duration.ofDays(1));
                }).build(), new DeclaredTaskRegistry.Origin("bean", "warmup()"));
        monitor(test.loop(), settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(2), true));
        test.runCurrent();
        monitor.record(test.loop().snapshot());
        applicationReady();
        assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC);
        assertThat(monitor.assess().refuseReasons()).containsExactly("declared task(s) [warmup] with awaitStarted have not started yet");

        hogFor(300);
        monitor.check();
        assertThat(monitor.assess().refuseReasons()).hasSize(2);
        assertThat(published).as("already refusing").containsExactly(ReadinessState.REFUSING_TRAFFIC);

        idleSampling(4); // the task says started at 5 s; the 300 ms lag leaves the 2 s window at about 2.3 s
        monitor.check();
        assertThat(monitor.assess().refuseReasons()).containsExactly("declared task(s) [warmup] with awaitStarted have not started yet");
        assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC);

        idleSampling(1);
        assertThat(declared.find("warmup")).get().matches(DeclaredTask::isStarted);
        monitor.check();
        assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
    }

    @Test
    void itNeverOpensReadinessThatTheApplicationClosedForShutdown() {
        monitor(test.loop(), settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(2), true));
        monitor.record(test.loop().snapshot());
        applicationReady();
        hogFor(300);
        monitor.check();
        assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC);

        monitor.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.REFUSING_TRAFFIC)); // shutting down
        idleSampling(4);
        monitor.check();
        assertThat(monitor.assess().refuseReasons()).isEmpty();
        assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC);
    }

    @Test
    void itNeitherOpensReadinessBeforeTheApplicationIsReadyNorPublishesWhenNothingIsWrong() {
        monitor(test.loop(), settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(2), true));
        monitor.check();
        applicationReady();
        monitor.check();
        assertThat(published).isEmpty();
    }

    @Test
    void withAvailabilityOffASaturatedLoopIsReportedButReadinessIsLeftAlone() {
        monitor(test.loop(), settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(2), false));
        monitor.record(test.loop().snapshot());
        applicationReady();
        hogFor(300);
        monitor.check();
        assertThat(monitor.assess().loopsIn(LoopAssessment.Condition.SATURATED)).hasSize(1);
        assertThat(monitor.assess().refuseReasons()).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void aClosedLoopIsClosedRatherThanStuckOrSaturated() {
        monitor(test.loop(), settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(2), true));
        test.loop().close();
        assertThat(monitor.assess().loops()).singleElement().extracting(LoopAssessment.LoopHealth::condition)
                .isEqualTo(LoopAssessment.Condition.CLOSED);
    }

    @Test
    void aLoopAtItsAdmissionLimitIsOverloadedAndRefusesTrafficWithoutBreakingLivenessUntilATaskEnds() {
        try (TestLoop full = TestLoop.create(EventLoop.builder().name("full").admission(new Admission(3, Duration.ZERO, Admission.Mode.SHED)))) {
            monitor(full.loop(), settings(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2), true));
            applicationReady();
            List<Task<Void>> sleepers = List.of(
                    full.loop().spawn("sleeper-1", () -> Async.sleep(Duration.ofDays(1))),
                    full.loop().spawn("sleeper-2", () -> Async.sleep(Duration.ofDays(1))),
                    full.loop().spawn("sleeper-3", () -> Async.sleep(Duration.ofDays(1))));
            full.runCurrent();
            assertThat(full.loop().spawn("one-too-many", () -> { }).state()).isEqualTo(Task.State.CANCELLED);

            monitor.check();
            assertThat(monitor.assess().loops()).singleElement().extracting(LoopAssessment.LoopHealth::condition)
                    .isEqualTo(LoopAssessment.Condition.OVERLOADED);
            assertThat(monitor.assess().refuseReasons()).containsExactly("loop 'full' is overloaded: 3 live tasks of at most 3"
                    + " (taskloop.admission.max-tasks); 0 spawn(s) waiting, 0 waited, 0 rejected, 1 shed so far (mode SHED)");
            assertThat(monitor.assess().brokenReasons()).isEmpty();
            assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC);

            sleepers.getFirst().cancel("room for one more");
            full.runCurrent();
            monitor.check();
            assertThat(monitor.assess().loops()).singleElement().extracting(LoopAssessment.LoopHealth::condition)
                    .isEqualTo(LoopAssessment.Condition.OK);
            assertThat(published).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
        }
    }
}
