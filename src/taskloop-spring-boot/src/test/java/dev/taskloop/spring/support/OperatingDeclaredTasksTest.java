package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.Task;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.DeclaredTask.Execution;
import dev.taskloop.spring.DeclaredTask.ExecutionStatus;
import dev.taskloop.spring.Overrun;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.Strategy;
import dev.taskloop.spring.TaskControlException;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.leader.ManualLeaderElection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

/**
 * What an operator does to a declared task through its {@link DeclaredTask} handle — pause, resume,
 * trigger, reschedule, restart — on fixed-rate, fixed-delay, cron and long-running tasks, in virtual
 * time. Requests come from the test's thread, as they would from a web request; the loop acts on them
 * at its next turn ({@code runCurrent}).
 */
class OperatingDeclaredTasksTest {

    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    private final TestLoop test = TestLoop.create();
    private final Clock clock = test.ticker().clock(ORIGIN);
    private final Supervisor.Environment env = new Supervisor.Environment(clock, RandomGenerator.of("L64X128MixRandom"), null);
    private final List<Long> starts = new CopyOnWriteArrayList<>();
    private final List<String> trace = new CopyOnWriteArrayList<>();
    private final List<CancelReason> reasons = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        test.close();
    }

    private long nowMs() {
        return test.currentTime().toMillis();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static final Backoff NO_BACKOFF = new Backoff(Duration.ZERO, Duration.ZERO, 1, 0);
    private static final RestartIntensity LENIENT = new RestartIntensity(100, Duration.ofMinutes(10));

    /** A periodic task that records when each run starts, and computes for {@code runMs} (virtual time). */
    private SupervisedTask periodic(String name, Schedule schedule, long runMs) {
        return Supervisor.start(test.loop(), TaskSpec.builder(name).restart(Restart.ON_FAILURE).backoff(NO_BACKOFF).intensity(LENIENT)
                .schedule(schedule).body(ctx -> {
                    starts.add(nowMs());
                    if (runMs > 0) {
                        test.ticker().advance(ms(runMs));
                    }
                }).build(), env);
    }

    // ------------------------------------------------------------------ fixed rate

    @Test
    void aPausedFixedRateTaskStartsNoRunUntilResumedAndThenItsScheduleStartsAfresh() {
        SupervisedTask st = periodic("rate", new Schedule.FixedRate(ms(100), ms(10), Overrun.SKIP), 0);
        test.advanceTimeBy(ms(220));
        assertThat(starts).containsExactly(10L, 110L, 210L);
        assertThat(st.nextExecution()).isEqualTo(ORIGIN.plusMillis(310));

        st.pause("paused by the test");
        assertThat(st.isPaused()).isTrue();
        test.runCurrent();
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.PAUSED);
        assertThat(st.nextExecution()).as("nothing is planned while paused").isNull();
        test.advanceTimeBy(ms(500));
        assertThat(starts).as("no run while paused").containsExactly(10L, 110L, 210L);

        st.resume();
        test.runCurrent();
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(st.nextExecution()).as("its initial delay from the resumption, as at an attempt's start").isEqualTo(ORIGIN.plusMillis(730));
        test.advanceTimeBy(ms(120));
        assertThat(starts).containsExactly(10L, 110L, 210L, 730L, 830L);
        assertThat(st.executionCounts()).isEqualTo(new DeclaredTask.ExecutionCounts(5, 5, 0, 0));
        assertThat(st.lastExecution().number()).as("the run count goes on").isEqualTo(5);
        assertThat(st.restarts()).isZero();
    }

    @Test
    void aRunUnderWayFinishesWhenItsTaskIsPaused() {
        SupervisedTask st = Supervisor.start(test.loop(), TaskSpec.builder("slow").schedule(new Schedule.FixedRate(ms(100), ms(0), Overrun.SKIP))
                .body(ctx -> {
                    trace.add("run " + ctx.run() + " starts at " + nowMs());
                    Async.sleep(ms(50));
                    trace.add("run " + ctx.run() + " ends at " + nowMs());
                }).build(), env);
        test.advanceTimeBy(ms(20));
        assertThat(st.lastExecution().status()).isEqualTo(ExecutionStatus.STARTED);

        st.pause("paused by the test");
        test.advanceTimeBy(ms(500));
        assertThat(trace).containsExactly("run 1 starts at 0", "run 1 ends at 50");
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.PAUSED);
        assertThat(st.lastExecution()).satisfies(e -> {
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCESS);
            assertThat(e.duration()).isEqualTo(ms(50));
            assertThat(e.time()).isEqualTo(ORIGIN);
        });
    }

    @Test
    void aTriggeredRunStartsAtOnceNeverOverlapsARunningOneAndTheNextPlannedRunKeepsItsTime() {
        SupervisedTask st = Supervisor.start(test.loop(), TaskSpec.builder("rate").schedule(new Schedule.FixedRate(ms(100), ms(0), Overrun.SKIP))
                .body(ctx -> {
                    starts.add(nowMs());
                    Async.sleep(ms(30));
                }).build(), env);
        test.advanceTimeBy(ms(10));
        assertThatThrownBy(st::trigger).isInstanceOf(TaskControlException.class)
                .hasMessage("task 'rate' is running run 1 (started at 2026-01-01T00:00:00Z); a triggered run never overlaps a running one:"
                        + " trigger again when it has ended");

        test.advanceTimeBy(ms(140)); // t = 150: waiting for the run at 200
        st.trigger();
        test.runCurrent();
        assertThat(starts).containsExactly(0L, 100L, 150L);
        assertThat(st.lastExecution().triggered()).isTrue();
        test.advanceTimeBy(ms(160));
        assertThat(starts).as("200 and 300 as planned").containsExactly(0L, 100L, 150L, 200L, 300L);
        assertThat(st.recentExecutions()).extracting(Execution::triggered).containsExactly(false, false, true, false, false);
    }

    @Test
    void aSecondTriggerBeforeTheFirstRunStartedIsRefused() {
        TaskControl control = new TaskControl("rate", new Schedule.FixedRate(ms(100), ms(0), Overrun.SKIP)); // no task takes the request
        control.trigger();
        assertThatThrownBy(control::trigger).isInstanceOf(TaskControlException.class)
                .hasMessage("task 'rate' has a triggered run that is about to start; trigger again when it has ended");
    }

    @Test
    void aPausedPeriodicTaskCanStillBeTriggeredOnceAndStaysPaused() {
        SupervisedTask st = periodic("rate", new Schedule.FixedRate(ms(100), ms(0), Overrun.SKIP), 0);
        test.advanceTimeBy(ms(50));
        st.pause("paused by the test");
        test.advanceTimeBy(ms(300));
        st.trigger();
        test.advanceTimeBy(ms(300));
        assertThat(starts).containsExactly(0L, 350L);
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.PAUSED);
    }

    @Test
    void aRescheduledFixedRateTaskRunsOneNewIntervalAfterItsLastStartOrAfterTheGivenInitialDelay() {
        SupervisedTask st = periodic("rate", new Schedule.FixedRate(ms(100), ms(0), Overrun.SKIP), 0);
        test.advanceTimeBy(ms(250));
        assertThat(starts).containsExactly(0L, 100L, 200L);

        st.reschedule(new Schedule.FixedRate(ms(80), Duration.ZERO, Overrun.SKIP));
        test.runCurrent();
        assertThat(st.nextExecution()).as("200 + 80").isEqualTo(ORIGIN.plusMillis(280));
        test.advanceTimeBy(ms(200)); // t = 450
        assertThat(starts).containsExactly(0L, 100L, 200L, 280L, 360L, 440L);
        assertThat(st.schedule()).isEqualTo(new Schedule.FixedRate(ms(80), Duration.ZERO, Overrun.SKIP));
        assertThat(st.isRescheduled()).isTrue();

        st.reschedule(new Schedule.FixedRate(ms(500), ms(25), Overrun.SKIP));
        test.advanceTimeBy(ms(600)); // t = 1050
        assertThat(starts).as("25 ms after the request, then every 500 ms").containsExactly(0L, 100L, 200L, 280L, 360L, 440L, 475L, 975L);
    }

    @Test
    void aRestartedAttemptKeepsTheNewSchedule() {
        AtomicBoolean fail = new AtomicBoolean();
        SupervisedTask st = Supervisor.start(test.loop(), TaskSpec.builder("rate").backoff(new Backoff(ms(5), ms(5), 1, 0)).intensity(LENIENT)
                .schedule(new Schedule.FixedRate(ms(100), ms(0), Overrun.SKIP)).body(ctx -> {
                    starts.add(nowMs());
                    if (fail.getAndSet(false)) {
                        throw new IllegalStateException("this run fails");
                    }
                }).build(), env);
        test.advanceTimeBy(ms(10));
        st.reschedule(new Schedule.FixedRate(ms(40), ms(0), Overrun.SKIP));
        fail.set(true);
        test.advanceTimeBy(ms(100)); // 40 fails; restarted at 45, then every 40 ms
        assertThat(starts).containsExactly(0L, 40L, 45L, 85L);
        assertThat(st.restarts()).isEqualTo(1);
        assertThat(st.lastFailure()).hasMessage("this run fails");
        assertThat(st.recentExecutions()).extracting(Execution::status)
                .containsExactly(ExecutionStatus.SUCCESS, ExecutionStatus.SUCCESS, ExecutionStatus.ERROR, ExecutionStatus.SUCCESS);
        assertThat(st.recentExecutions().get(2).exception()).hasMessage("this run fails");
        assertThat(st.executionCounts()).isEqualTo(new DeclaredTask.ExecutionCounts(4, 3, 1, 0));
    }

    // ------------------------------------------------------------------ fixed delay

    @Test
    void aPausedFixedDelayTaskResumesWithItsInitialDelayThenItsDelay() {
        SupervisedTask st = periodic("delay", new Schedule.FixedDelay(ms(100), ms(10)), 30);
        test.advanceTimeBy(ms(150)); // the run at 140 computes until 170
        assertThat(starts).containsExactly(10L, 140L);
        st.pause("paused by the test");
        test.advanceTimeBy(ms(1000));
        assertThat(starts).containsExactly(10L, 140L);
        st.resume();
        test.advanceTimeBy(ms(200)); // resumed at 1170: runs at 1180 (initial delay), ends 1210, next 1310
        assertThat(starts).containsExactly(10L, 140L, 1180L, 1310L);
    }

    @Test
    void aRescheduledFixedDelayTaskRunsTheNewDelayAfterItsLastRunEnded() {
        SupervisedTask st = periodic("delay", new Schedule.FixedDelay(ms(100), ms(10)), 30);
        test.advanceTimeBy(ms(300));
        assertThat(starts).containsExactly(10L, 140L, 270L);

        st.reschedule(new Schedule.FixedDelay(ms(50), Duration.ZERO));
        test.runCurrent();
        assertThat(st.nextExecution()).as("the last run ended at 300; 300 + 50").isEqualTo(ORIGIN.plusMillis(350));
        test.advanceTimeBy(ms(140));
        assertThat(starts).containsExactly(10L, 140L, 270L, 350L, 430L);
        assertThat(st.schedule()).isEqualTo(new Schedule.FixedDelay(ms(50), Duration.ZERO));
    }

    @Test
    void aTriggeredRunOfAFixedDelayTaskStartsAtOnceNeverOverlapsARunningOneAndTheNextPlannedRunKeepsItsTime() {
        SupervisedTask st = Supervisor.start(test.loop(), TaskSpec.builder("delay").schedule(new Schedule.FixedDelay(ms(100), ms(10)))
                .body(ctx -> {
                    starts.add(nowMs());
                    Async.sleep(ms(30));
                }).build(), env);
        test.advanceTimeBy(ms(20)); // run 1 waits from 10 until 40
        assertThatThrownBy(st::trigger).isInstanceOf(TaskControlException.class)
                .hasMessageStartingWith("task 'delay' is running run 1");
        test.advanceTimeBy(ms(40)); // t = 60: waiting for the run at 140 (40 + 100)
        assertThat(st.nextExecution()).isEqualTo(ORIGIN.plusMillis(140));
        st.trigger();
        test.runCurrent();
        assertThat(starts).containsExactly(10L, 60L);
        assertThat(st.lastExecution().triggered()).isTrue();
        test.advanceTimeBy(ms(200)); // t = 260
        assertThat(starts).as("140 as planned; the next 100 after its end at 170").containsExactly(10L, 60L, 140L);
        test.advanceTimeBy(ms(20));
        assertThat(starts).containsExactly(10L, 60L, 140L, 270L);
        assertThat(st.recentExecutions()).extracting(Execution::triggered).containsExactly(false, false, true, false);
    }

    @Test
    void aFixedDelayTaskRescheduledBeforeItsFirstRunWaitsOneNewDelayFromNow() {
        SupervisedTask st = periodic("delay", new Schedule.FixedDelay(ms(100), ms(1000)), 0);
        test.runCurrent(); // waiting for its first run, at 1000
        st.reschedule(new Schedule.FixedDelay(ms(60), Duration.ZERO));
        test.advanceTimeBy(ms(130));
        assertThat(starts).containsExactly(60L, 120L);
    }

    // ------------------------------------------------------------------ cron

    @Test
    void aCronTaskIsPausedResumedTriggeredAndRescheduledOnItsWallClockTimes() {
        Schedule.Cron every10s = new Schedule.Cron(CronExpression.parse("*/10 * * * * *"), "*/10 * * * * *", ZoneOffset.UTC, Overrun.SKIP);
        List<String> runs = new CopyOnWriteArrayList<>();
        SupervisedTask st = Supervisor.start(test.loop(), TaskSpec.builder("cron").schedule(every10s)
                .body(ctx -> runs.add(clock.instant().toString().substring(14, 19))).build(), env);
        test.advanceTimeBy(Duration.ofSeconds(25));
        assertThat(runs).containsExactly("00:10", "00:20");
        assertThat(st.nextExecution()).isEqualTo(ORIGIN.plusSeconds(30));

        st.pause("paused by the test");
        test.advanceTimeBy(Duration.ofSeconds(20)); // 00:45
        assertThat(runs).containsExactly("00:10", "00:20");
        st.resume();
        test.advanceTimeBy(Duration.ofSeconds(7)); // 00:52
        st.trigger();
        test.advanceTimeBy(Duration.ofSeconds(10)); // 01:02
        assertThat(runs).containsExactly("00:10", "00:20", "00:50", "00:52", "01:00");

        st.reschedule(new Schedule.Cron(CronExpression.parse("*/15 * * * * *"), "*/15 * * * * *", ZoneOffset.UTC, Overrun.SKIP));
        test.runCurrent();
        assertThat(st.nextExecution()).isEqualTo(ORIGIN.plusSeconds(75));
        test.advanceTimeBy(Duration.ofSeconds(30)); // 01:32
        assertThat(runs).containsExactly("00:10", "00:20", "00:50", "00:52", "01:00", "01:15", "01:30");
        assertThat(st.recentExecutions().get(3)).satisfies(e -> {
            assertThat(e.triggered()).isTrue();
            assertThat(e.time()).isEqualTo(ORIGIN.plusSeconds(52));
        });
    }

    // ------------------------------------------------------------------ once per attempt

    /** A long-running task that says when each attempt starts and when its finally runs, and may fail once at its start. */
    private SupervisedTask longRunning(AtomicBoolean failAtStart) {
        return Supervisor.start(test.loop(), TaskSpec.builder("consumer").restart(Restart.ALWAYS).backoff(new Backoff(ms(10), ms(10), 1, 0))
                .intensity(new RestartIntensity(1, Duration.ofMinutes(1))).body(ctx -> {
                    trace.add("attempt " + ctx.attempt() + " starts at " + nowMs());
                    if (failAtStart.getAndSet(false)) {
                        throw new IllegalStateException("fails at its start");
                    }
                    try {
                        Async.sleep(Duration.ofDays(1));
                    } catch (CancelledException e) {
                        reasons.add(e.reason());
                        throw e;
                    } finally {
                        trace.add("attempt " + ctx.attempt() + " finally at " + nowMs());
                    }
                }).build(), env);
    }

    @Test
    void aPausedLongRunningTaskIsCancelledAtItsAwaitPointRunsItsFinallyAndIsNotRestartedUntilResumed() {
        SupervisedTask st = longRunning(new AtomicBoolean());
        test.advanceTimeBy(ms(100));
        Task<?> task = st.task();

        st.pause("paused by operator 'alice'");
        test.runCurrent();
        assertThat(trace).containsExactly("attempt 1 starts at 0", "attempt 1 finally at 100");
        assertThat(reasons).containsExactly(CancelReason.of(CancelOrigins.OPERATOR, "paused by operator 'alice'"));
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.PAUSED);
        assertThat(st.lastExecution().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(st.lastExecution().duration()).isEqualTo(ms(100));

        test.advanceTimeBy(Duration.ofHours(1));
        assertThat(trace).as("no restart while paused").hasSize(2);
        assertThat(st.restarts()).isZero();
        assertThat(st.task()).as("the same task waits to be resumed").isSameAs(task);
        assertThat(task.snapshot().awaiting().kind()).isEqualTo("event");
        assertThat(task.snapshot().awaiting().target()).isEqualTo("resumption of task 'consumer'");

        st.resume();
        test.runCurrent();
        assertThat(trace).containsExactly("attempt 1 starts at 0", "attempt 1 finally at 100", "attempt 1 starts at 3600100");
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(st.executionCounts()).isEqualTo(new DeclaredTask.ExecutionCounts(2, 0, 0, 1));
    }

    @Test
    void aResumedLongRunningTaskCountsItsAttemptsAndItsRestartIntensityAfresh() {
        AtomicBoolean fail = new AtomicBoolean(true);
        SupervisedTask st = longRunning(fail); // fails at once, restarted: its one restart within the minute is used
        test.advanceTimeBy(ms(20));
        assertThat(trace).containsExactly("attempt 1 starts at 0", "attempt 2 starts at 10");
        st.pause("paused by the test");
        test.runCurrent();
        fail.set(true);
        st.resume();
        test.advanceTimeBy(ms(20)); // resumed as attempt 1, fails, restarted as attempt 2: within its fresh intensity
        assertThat(trace).containsExactly("attempt 1 starts at 0", "attempt 2 starts at 10", "attempt 2 finally at 20",
                "attempt 1 starts at 20", "attempt 2 starts at 30");
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(st.restarts()).isEqualTo(2);
    }

    @Test
    void pausingAGroupsTaskStopsItAloneAndTheGroupRestartsNothing() {
        List<SupervisedTask> children = Supervisor.start(test.loop(), GroupSpec.builder("ingest").strategy(Strategy.ONE_FOR_ALL).intensity(LENIENT)
                .tasks(child("a"), child("b")).build(), env);
        test.advanceTimeBy(ms(10));
        children.get(1).pause("paused by the test");
        test.advanceTimeBy(ms(100));
        assertThat(trace).containsExactly("a1 starts", "b1 starts", "b1 finally");
        assertThat(children).extracting(DeclaredTask::status).containsExactly(DeclaredTask.Status.RUNNING, DeclaredTask.Status.PAUSED);
        children.get(1).resume();
        test.runCurrent();
        assertThat(trace).containsExactly("a1 starts", "b1 starts", "b1 finally", "b1 starts");
        assertThat(children.get(1).restarts()).isZero();
    }

    private TaskSpec child(String name) {
        return TaskSpec.builder(name).backoff(NO_BACKOFF).intensity(LENIENT).body(ctx -> {
            trace.add(name + ctx.attempt() + " starts");
            try {
                Async.sleep(Duration.ofDays(1));
            } finally {
                trace.add(name + ctx.attempt() + " finally");
            }
        }).build();
    }

    // ------------------------------------------------------------------ restart

    @Test
    void aTaskThatFailedForGoodIsRestartedAsAttempt1WithItsRestartIntensityAfresh() {
        SupervisedTask st = Supervisor.start(test.loop(), TaskSpec.builder("doomed").backoff(new Backoff(ms(10), ms(10), 1, 0))
                .intensity(new RestartIntensity(1, Duration.ofMinutes(1))).body(ctx -> {
                    trace.add("attempt " + ctx.attempt() + " at " + nowMs());
                    throw new IllegalStateException("always");
                }).build(), env);
        test.advanceUntilIdle();
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.FAILED);
        Task<?> first = st.task();
        assertThatThrownBy(() -> st.pause("paused")).isInstanceOf(TaskControlException.class)
                .hasMessage("task 'doomed' has ended (FAILED): there is nothing to pause; restart() starts it again");

        test.advanceTimeBy(ms(1000));
        st.restart();
        test.advanceUntilIdle();
        assertThat(trace).containsExactly("attempt 1 at 0", "attempt 2 at 10", "attempt 1 at 1010", "attempt 2 at 1020");
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.FAILED);
        assertThat(st.task()).as("a new supervising task").isNotSameAs(first);
        assertThat(st.executionCounts().failed()).isEqualTo(4);
    }

    @Test
    void aGroupsTaskIsRestartedWithItsWholeGroupOnceTheGroupHasEnded() {
        AtomicBoolean fail = new AtomicBoolean(true);
        List<SupervisedTask> children = Supervisor.start(test.loop(), GroupSpec.builder("fragile").strategy(Strategy.ONE_FOR_ONE)
                .intensity(new RestartIntensity(0, Duration.ofMinutes(1))).tasks(child("a"), TaskSpec.builder("b").backoff(NO_BACKOFF).body(ctx -> {
                    trace.add("b" + ctx.attempt() + " starts");
                    if (fail.get()) {
                        throw new IllegalStateException("b fails");
                    }
                    Async.sleep(Duration.ofDays(1));
                }).build()).build(), env);
        test.advanceTimeBy(ms(10));
        assertThat(children).extracting(DeclaredTask::status).containsExactly(DeclaredTask.Status.STOPPED, DeclaredTask.Status.FAILED);

        fail.set(false);
        children.get(1).restart();
        test.runCurrent();
        assertThat(children).extracting(DeclaredTask::status).containsExactly(DeclaredTask.Status.RUNNING, DeclaredTask.Status.RUNNING);
        assertThat(trace).containsExactly("a1 starts", "b1 starts", "a1 finally", "a1 starts", "b1 starts");
    }

    @Test
    void aGroupsTaskThatFailedWhileItsGroupRunsIsNotRestartedByHand() {
        List<SupervisedTask> children = Supervisor.start(test.loop(), GroupSpec.builder("workers").strategy(Strategy.ONE_FOR_ONE).intensity(LENIENT)
                .tasks(child("a"), TaskSpec.builder("b").restart(Restart.NEVER).body(ctx -> {
                    throw new IllegalStateException("b fails");
                }).build()).build(), env);
        test.advanceTimeBy(ms(10));
        assertThat(children.get(1).status()).isEqualTo(DeclaredTask.Status.FAILED);
        assertThatThrownBy(children.get(1)::restart).isInstanceOf(TaskControlException.class)
                .hasMessage("task 'b' belongs to supervised group 'workers', which still runs and restarts its tasks by its own policy;"
                        + " restart() starts the group again once it has ended");
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void whatATasksStateDoesNotAllowIsRefusedSayingWhy() {
        SupervisedTask consumer = longRunning(new AtomicBoolean());
        SupervisedTask rate = periodic("rate", new Schedule.FixedRate(ms(100), ms(0), Overrun.SKIP), 0);
        test.advanceTimeBy(ms(10));
        assertThatThrownBy(consumer::trigger).isInstanceOf(TaskControlException.class)
                .hasMessage("task 'consumer' runs once per attempt (it is not periodic): it cannot be triggered; only a task with fixedRate,"
                        + " fixedDelay or cron can");
        assertThatThrownBy(() -> consumer.reschedule(new Schedule.FixedRate(ms(1), ms(0), Overrun.SKIP)))
                .isInstanceOf(TaskControlException.class).hasMessageContaining("it cannot be rescheduled");
        assertThatThrownBy(consumer::resume).isInstanceOf(TaskControlException.class)
                .hasMessage("task 'consumer' is not paused; resume() resumes a task that pause() paused");
        assertThatThrownBy(consumer::restart).isInstanceOf(TaskControlException.class)
                .hasMessage("task 'consumer' is RUNNING: it has not ended; restart() starts a task that ended (FAILED, COMPLETED or STOPPED) again");
        assertThatThrownBy(() -> rate.reschedule(new Schedule.FixedRate(Duration.ZERO, ms(0), Overrun.SKIP)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The new schedule of task 'rate' has fixedRate PT0S, which is not positive; use a duration greater than zero");
        assertThatThrownBy(() -> rate.reschedule(new Schedule.FixedDelay(ms(-1), ms(0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The new schedule of task 'rate' has a negative fixedDelay PT-0.001S; use a duration of zero or more");
        assertThat(rate.schedule()).isEqualTo(new Schedule.FixedRate(ms(100), ms(0), Overrun.SKIP));
    }

    @Test
    void nothingIsOperatedWhileTheApplicationStops() {
        Supervisor.Environment stopping = new Supervisor.Environment(clock, RandomGenerator.of("L64X128MixRandom"), null, () -> true);
        SupervisedTask st = Supervisor.start(test.loop(), TaskSpec.builder("late").body(ctx -> Async.sleep(Duration.ofDays(1))).build(), stopping);
        assertThatThrownBy(() -> st.pause("paused")).isInstanceOf(TaskControlException.class)
                .hasMessage("task 'late' cannot be paused: the application is stopping");
    }

    @Test
    void aSingletonIsOperatedOnlyOnTheReplicaThatLeadsItsElection() {
        ManualLeaderElection election = new ManualLeaderElection();
        Leadership leadership = new Leadership(election);
        SupervisedTask st = Supervisor.start(test.loop(), TaskSpec.builder("report").schedule(new Schedule.FixedRate(ms(100), ms(0), Overrun.SKIP))
                .singleton("report").body(ctx -> starts.add(nowMs())).build(), env, leadership.join("report", "report"));
        leadership.start();
        test.advanceTimeBy(ms(50));
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThatThrownBy(st::trigger).isInstanceOf(TaskControlException.class)
                .hasMessage("task 'report' is a singleton of election 'report', and this replica does not lead it (STANDBY): it cannot be"
                        + " triggered here; send the request to the replica that leads the election");

        election.grant("report");
        test.advanceTimeBy(ms(150));
        st.pause("paused by the test");
        test.runCurrent();
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.PAUSED);
        election.revoke("report");
        test.runCurrent();
        election.grant("report");
        test.advanceTimeBy(ms(300));
        assertThat(st.status()).as("the pause holds on this replica through the next term").isEqualTo(DeclaredTask.Status.PAUSED);
        assertThat(starts).containsExactly(50L, 150L);
        assertThatThrownBy(st::restart).isInstanceOf(TaskControlException.class)
                .hasMessageStartingWith("task 'report' is a singleton (election 'report'): it stays PAUSED");
        leadership.close();
    }

    @Test
    void theLastTenExecutionsAreKeptNewestFirstAndTheCountsCoverAll() {
        SupervisedTask st = periodic("rate", new Schedule.FixedRate(ms(10), ms(0), Overrun.SKIP), 0);
        test.advanceTimeBy(ms(145)); // runs 1..15
        assertThat(st.recentExecutions()).extracting(Execution::number).containsExactly(15L, 14L, 13L, 12L, 11L, 10L, 9L, 8L, 7L, 6L);
        assertThat(st.executionCounts().total()).isEqualTo(15);
        assertThat(st.lastExecution().number()).isEqualTo(15);
    }
}
