package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Async;
import dev.taskloop.core.Task;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Overrun;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.RestartLimitExceededException;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.Strategy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

/** Restart policies, back-off, intensity, schedules and OTP strategies, in virtual time. */
class SupervisorTest {

    private final TestLoop test = TestLoop.create();
    private final Supervisor.Environment env = new Supervisor.Environment(
            test.ticker().clock(Instant.parse("2026-01-01T00:00:00Z")), RandomGenerator.of("L64X128MixRandom"), null);

    @AfterEach
    void close() {
        test.close();
    }

    private long nowMs() {
        return test.currentTime().toMillis();
    }

    private static TaskSpec spec(String name, Restart restart, Backoff backoff, RestartIntensity limit,
                                 Schedule schedule, TaskSpec.Body body) {
        return TaskSpec.builder(name).restart(restart).backoff(backoff).intensity(limit).schedule(schedule).body(body).build();
    }

    private static Backoff exact(long initialMs, long maxMs, double multiplier) {
        return new Backoff(Duration.ofMillis(initialMs), Duration.ofMillis(maxMs), multiplier, 0);
    }

    private static final RestartIntensity LENIENT = new RestartIntensity(100, Duration.ofMinutes(10));

    @Test
    void backOffDelaysGrowExactlyByTheMultiplierUpToTheMax() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        SupervisedTask st = Supervisor.start(test.loop(), spec("flaky", Restart.ON_FAILURE, exact(100, 1000, 2), LENIENT,
                new Schedule.Continuous(), ctx -> {
                    starts.add(nowMs());
                    if (ctx.attempt() < 7) {
                        throw new IllegalStateException("attempt " + ctx.attempt());
                    }
                }), env);
        test.advanceUntilIdle();
        // delays 100, 200, 400, 800, 1000 (capped), 1000
        assertThat(starts).containsExactly(0L, 100L, 300L, 700L, 1500L, 2500L, 3500L);
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.COMPLETED);
        assertThat(st.restarts()).isEqualTo(6);
        assertThat(st.lastFailure()).hasMessage("attempt 6");
    }

    @Test
    void jitterSpreadsEachDelayWithinItsBounds() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMinutes(1), 1, 0.2);
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            delays.add(b.delay(1, random).toMillis());
        }
        assertThat(delays).allMatch(d -> d >= 800 && d <= 1200);
        assertThat(delays.stream().distinct().count()).as("delays are actually spread").isGreaterThan(100);
        assertThat(delays.stream().mapToLong(Long::longValue).min().getAsLong()).isLessThan(850);
        assertThat(delays.stream().mapToLong(Long::longValue).max().getAsLong()).isGreaterThan(1150);
    }

    @Test
    void theRestartLimitStopsRestartsAndMarksTheTaskFailed() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        SupervisedTask st = Supervisor.start(test.loop(), spec("doomed", Restart.ON_FAILURE, exact(10, 10, 1),
                new RestartIntensity(3, Duration.ofSeconds(10)), new Schedule.Continuous(), ctx -> {
                    starts.add(nowMs());
                    throw new IllegalStateException("always");
                }), env);
        test.advanceUntilIdle();
        assertThat(starts).containsExactly(0L, 10L, 20L, 30L);
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.FAILED);
        assertThat(st.restarts()).isEqualTo(3);
        assertThat(st.task().state()).isEqualTo(Task.State.FAILED);
        assertThat(st.task().exception()).isInstanceOf(RestartLimitExceededException.class)
                .hasMessageContaining("task 'doomed'").hasMessageContaining("maxRestarts=3").hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void failuresFartherApartThanTheWindowNeverReachTheLimit() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        SupervisedTask st = Supervisor.start(test.loop(), spec("slow-flaky", Restart.ON_FAILURE, exact(10, 10, 1),
                new RestartIntensity(1, Duration.ofMillis(50)), new Schedule.Continuous(), ctx -> {
                    starts.add(nowMs());
                    Async.sleep(Duration.ofMillis(100));
                    if (ctx.attempt() < 5) {
                        throw new IllegalStateException();
                    }
                }), env);
        test.advanceUntilIdle();
        assertThat(starts).containsExactly(0L, 110L, 220L, 330L, 440L);
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.COMPLETED);
    }

    @Test
    void restartPoliciesDecideWhatAnEndingTaskDoesNext() {
        List<String> runs = new CopyOnWriteArrayList<>();
        SupervisedTask always = Supervisor.start(test.loop(), spec("always", Restart.ALWAYS, exact(10, 10, 1),
                new RestartIntensity(2, Duration.ofMinutes(1)), new Schedule.Continuous(), ctx -> runs.add("always")), env);
        SupervisedTask onFailure = Supervisor.start(test.loop(), spec("on-failure", Restart.ON_FAILURE, exact(10, 10, 1),
                LENIENT, new Schedule.Continuous(), ctx -> runs.add("on-failure")), env);
        SupervisedTask never = Supervisor.start(test.loop(), spec("never", Restart.NEVER, exact(10, 10, 1),
                LENIENT, new Schedule.Continuous(), ctx -> {
                    runs.add("never");
                    throw new IllegalStateException("once");
                }), env);
        test.advanceUntilIdle();
        assertThat(runs).filteredOn("always"::equals).hasSize(3);
        assertThat(always.status()).isEqualTo(DeclaredTask.Status.FAILED); // a permanent task that keeps returning hits the limit
        assertThat(runs).filteredOn("on-failure"::equals).hasSize(1);
        assertThat(onFailure.status()).isEqualTo(DeclaredTask.Status.COMPLETED);
        assertThat(runs).filteredOn("never"::equals).hasSize(1);
        assertThat(never.status()).isEqualTo(DeclaredTask.Status.FAILED);
    }

    @Test
    void aCancelledTaskIsStoppedNotRestarted() {
        SupervisedTask st = Supervisor.start(test.loop(), spec("consumer", Restart.ALWAYS, exact(10, 10, 1), LENIENT,
                new Schedule.Continuous(), ctx -> Async.sleep(Duration.ofDays(1))), env);
        test.advanceTimeBy(Duration.ofSeconds(1));
        st.task().cancel("operator");
        test.advanceUntilIdle();
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.STOPPED);
        assertThat(st.restarts()).isZero();
        assertThat(st.task().state()).isEqualTo(Task.State.CANCELLED);
    }

    @Test
    void oneForAllRestartsTheWholeGroupInDeclarationOrder() {
        List<String> trace = new CopyOnWriteArrayList<>();
        List<SupervisedTask> children = Supervisor.start(test.loop(), GroupSpec.builder("ingest").strategy(Strategy.ONE_FOR_ALL)
                .intensity(LENIENT).tasks(child("a", trace, -1), child("b", trace, 50), child("c", trace, -1)).build(), env);
        test.advanceTimeBy(Duration.ofMillis(60));
        assertThat(trace).containsExactly("a1 start", "b1 start", "c1 start", "a1 finally", "c1 finally",
                "a2 start", "b2 start", "c2 start");
        assertThat(children).extracting(DeclaredTask::status).containsOnly(DeclaredTask.Status.RUNNING);
        assertThat(children.get(1).restarts()).isEqualTo(1);
    }

    @Test
    void restForOneRestartsTheFailedTaskAndTheOnesDeclaredAfterIt() {
        List<String> trace = new CopyOnWriteArrayList<>();
        Supervisor.start(test.loop(), GroupSpec.builder("pipeline").strategy(Strategy.REST_FOR_ONE).intensity(LENIENT)
                .tasks(child("a", trace, -1), child("b", trace, 50), child("c", trace, -1)).build(), env);
        test.advanceTimeBy(Duration.ofMillis(60));
        assertThat(trace).containsExactly("a1 start", "b1 start", "c1 start", "c1 finally", "b2 start", "c2 start");
    }

    @Test
    void oneForOneRestartsOnlyTheFailedTask() {
        List<String> trace = new CopyOnWriteArrayList<>();
        Supervisor.start(test.loop(), GroupSpec.builder("workers").strategy(Strategy.ONE_FOR_ONE).intensity(LENIENT)
                .tasks(child("a", trace, -1), child("b", trace, 50), child("c", trace, -1)).build(), env);
        test.advanceTimeBy(Duration.ofMillis(60));
        assertThat(trace).containsExactly("a1 start", "b1 start", "c1 start", "b2 start");
    }

    @Test
    void aGroupPastItsRestartLimitStopsEveryTaskAndFails() {
        List<String> trace = new CopyOnWriteArrayList<>();
        List<SupervisedTask> children = Supervisor.start(test.loop(), GroupSpec.builder("fragile").strategy(Strategy.ONE_FOR_ONE)
                .intensity(new RestartIntensity(2, Duration.ofMinutes(1))).tasks(child("a", trace, -1), child("b", trace, 5)).build(), env);
        test.advanceUntilIdle();
        assertThat(trace).containsExactly("a1 start", "b1 start", "b2 start", "b3 start", "a1 finally");
        assertThat(children.get(0).status()).isEqualTo(DeclaredTask.Status.STOPPED);
        assertThat(children.get(1).status()).isEqualTo(DeclaredTask.Status.FAILED);
        assertThat(test.loop().tasks()).isEmpty();
    }

    /** A child that logs its start and finally, and fails {@code failAfterMs} after starting (never if negative). */
    private static TaskSpec child(String name, List<String> trace, long failAfterMs) {
        return spec(name, Restart.ON_FAILURE, exact(0, 0, 1), LENIENT, new Schedule.Continuous(), ctx -> {
            trace.add(name + ctx.attempt() + " start");
            if (failAfterMs >= 0) {
                Async.sleep(Duration.ofMillis(failAfterMs));
                throw new IllegalStateException(name + " failed");
            }
            try {
                Async.sleep(Duration.ofDays(1));
            } finally {
                trace.add(name + ctx.attempt() + " finally");
            }
        });
    }

    // ------------------------------------------------------------------ periodic

    @Test
    void aFixedRateTaskSkipsTheSlotsItsOverrunMissed() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        Supervisor.start(test.loop(), spec("rate", Restart.ON_FAILURE, exact(0, 0, 1), LENIENT,
                new Schedule.FixedRate(Duration.ofMillis(100), Duration.ofMillis(10), Overrun.SKIP), ctx -> {
                    starts.add(nowMs());
                    if (ctx.run() == 2) {
                        test.ticker().advance(Duration.ofMillis(250)); // run 2 computes for 250 ms
                    }
                }), env);
        test.advanceTimeBy(Duration.ofMillis(620));
        assertThat(starts).containsExactly(10L, 110L, 410L, 510L, 610L);
    }

    @Test
    void aFixedRateTaskCatchesUpWhenAskedTo() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        Supervisor.start(test.loop(), spec("rate", Restart.ON_FAILURE, exact(0, 0, 1), LENIENT,
                new Schedule.FixedRate(Duration.ofMillis(100), Duration.ofMillis(10), Overrun.CATCH_UP), ctx -> {
                    starts.add(nowMs());
                    if (ctx.run() == 1) {
                        test.ticker().advance(Duration.ofMillis(250));
                    }
                }), env);
        test.advanceTimeBy(Duration.ofMillis(420));
        assertThat(starts).containsExactly(10L, 260L, 260L, 310L, 410L); // slots 110 and 210 run late, back to back
    }

    @Test
    void aFixedDelayTaskWaitsAfterEachRunEnds() {
        List<Long> starts = new CopyOnWriteArrayList<>();
        Supervisor.start(test.loop(), spec("delay", Restart.ON_FAILURE, exact(0, 0, 1), LENIENT,
                new Schedule.FixedDelay(Duration.ofMillis(100), Duration.ofMillis(10)), ctx -> {
                    starts.add(nowMs());
                    test.ticker().advance(Duration.ofMillis(30));
                }), env);
        test.advanceTimeBy(Duration.ofMillis(410));
        assertThat(starts).containsExactly(10L, 140L, 270L, 400L);
    }

    @Test
    void aCronTaskRunsAtTheExpressionsTimesAndAFailedRunRestartsTheSchedule() {
        List<String> runs = new CopyOnWriteArrayList<>();
        SupervisedTask st = Supervisor.start(test.loop(), spec("cron", Restart.ON_FAILURE, exact(1000, 1000, 1), LENIENT,
                new Schedule.Cron(CronExpression.parse("*/10 * * * * *"), "*/10 * * * * *", ZoneOffset.UTC, Overrun.SKIP), ctx -> {
                    runs.add(env.clock().instant() + " a" + ctx.attempt());
                    if (runs.size() == 2) {
                        throw new IllegalStateException("second run fails");
                    }
                }), env);
        test.advanceTimeBy(Duration.ofSeconds(35));
        assertThat(runs).containsExactly("2026-01-01T00:00:10Z a1", "2026-01-01T00:00:20Z a1",
                "2026-01-01T00:00:30Z a2"); // restarted 1 s after 00:20, so the next time is 00:30
        assertThat(st.restarts()).isEqualTo(1);
    }

    @Test
    void taskContextCountsAttemptsAndRunsAndReportsStarted() {
        List<String> seen = new CopyOnWriteArrayList<>();
        TaskSpec s = TaskSpec.builder("ctx").restart(Restart.ON_FAILURE).backoff(exact(0, 0, 1)).intensity(LENIENT)
                .schedule(new Schedule.FixedDelay(Duration.ofMillis(10), Duration.ofMillis(5))).critical(true).awaitStarted(true).body(ctx -> {
                    seen.add(ctx.name() + " attempt " + ctx.attempt() + " run " + ctx.run());
                    ctx.started();
                    if (ctx.attempt() == 1 && ctx.run() == 2) {
                        throw new IllegalStateException();
                    }
                }).build();
        SupervisedTask st = Supervisor.start(test.loop(), s, env);
        assertThat(st.isStarted()).isFalse();
        test.advanceTimeBy(Duration.ofMillis(30));
        assertThat(st.isStarted()).isTrue();
        assertThat(seen).containsExactly("ctx attempt 1 run 1", "ctx attempt 1 run 2", "ctx attempt 2 run 1", "ctx attempt 2 run 2");
    }
}
