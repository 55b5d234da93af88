package dev.taskloop.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.actuate.endpoint.TaskloopEndpoint.ControlDescriptor;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint.ControlOutcome;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint.DeclaredDescriptor;
import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopEndpointAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.DeclaredTasks;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.leader.ManualLeaderElection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The endpoint's control requests ({@code POST /actuator/taskloop/{task}}), called directly on an
 * application with periodic, long-running, failing and singleton declared tasks: each action's
 * success and refusals, the schedule and execution fields of the declared tasks, and the audit event
 * of every request. The HTTP statuses are {@code TaskloopEndpointHttpTest}'s.
 */
class TaskloopEndpointControlTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class, TaskloopEndpointAutoConfiguration.class))
            .withBean(Tasks.class).withBean(ManualLeaderElection.class).withBean(TaskloopEndpointTest.AuditEvents.class)
            .withPropertyValues("management.endpoints.web.exposure.include=taskloop", "management.endpoint.taskloop.access=UNRESTRICTED",
                    "taskloop.shutdown.exit-zero-on-sigterm=false");

    static class Tasks {
        final AtomicInteger rateRuns = new AtomicInteger();
        final AtomicInteger consumerCleanups = new AtomicInteger();

        @BackgroundTask(name = "rate", fixedRate = "1h", initialDelay = "1h")
        void rate() {
            rateRuns.incrementAndGet();
        }

        @BackgroundTask(name = "slow", fixedRate = "1h", initialDelay = "1h")
        void slow() {
            Async.sleep(Duration.ofDays(1));
        }

        @BackgroundTask(name = "nightly", cron = "0 0 3 * * *", zone = "Europe/Paris", overrun = dev.taskloop.spring.Overrun.CATCH_UP)
        void nightly() {
        }

        @BackgroundTask(name = "consumer")
        void consumer() {
            try {
                Async.sleep(Duration.ofDays(1));
            } finally {
                consumerCleanups.incrementAndGet();
            }
        }

        @BackgroundTask(name = "doomed", restart = Restart.NEVER)
        void doomed() {
            throw new IllegalStateException("doomed to fail");
        }

        @BackgroundTask(name = "leader-only", fixedDelay = "1s", singleton = "*")
        void leaderOnly() {
        }
    }

    private static final SecurityContext ALICE = TaskloopEndpointTest.ALICE;

    private static ControlDescriptor act(AssertableApplicationContext context, String task, String action) {
        return context.getBean(TaskloopEndpoint.class).control(task, action, null, null, null, null, null, null, ALICE);
    }

    private static ControlDescriptor reschedule(AssertableApplicationContext context, String task, String fixedRate, String fixedDelay,
                                                String cron, String zone) {
        return context.getBean(TaskloopEndpoint.class).control(task, "reschedule", fixedRate, fixedDelay, cron, zone, null, null, ALICE);
    }

    private static DeclaredTask declared(AssertableApplicationContext context, String name) {
        context.getBean(EventLoop.class).spawn(() -> { }).join(); // the declared tasks have reached their first await point
        return context.getBean(DeclaredTasks.class).find(name).orElseThrow();
    }

    private static DeclaredDescriptor described(AssertableApplicationContext context, String name) {
        return context.getBean(TaskloopEndpoint.class).taskloop().declared().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<AuditEvent> audit(AssertableApplicationContext context) {
        return context.getBean(TaskloopEndpointTest.AuditEvents.class).events;
    }

    @Test
    void everyDeclaredTaskCarriesItsScheduleAndExecutionsWithTheFieldNamesOfSpringBootsScheduledTasks() {
        runner.run(context -> {
            declared(context, "consumer");
            DeclaredDescriptor rate = described(context, "rate");
            assertThat(rate.schedule()).isEqualTo(new TaskloopEndpoint.ScheduleDescriptor("fixedRate", 3_600_000L, 3_600_000L, null, null, "SKIP",
                    false));
            assertThat(rate.nextExecution().time()).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3600));
            assertThat(rate.lastExecution()).isNull();
            assertThat(rate.executionCounts()).isEqualTo(new TaskloopEndpoint.ExecutionCountsDescriptor(0, 0, 0, 0));
            assertThat(rate.paused()).isFalse();

            assertThat(described(context, "nightly").schedule())
                    .isEqualTo(new TaskloopEndpoint.ScheduleDescriptor("cron", null, null, "0 0 3 * * *", "Europe/Paris", "CATCH_UP", false));
            DeclaredDescriptor consumer = described(context, "consumer");
            assertThat(consumer.schedule().kind()).isEqualTo("continuous");
            assertThat(consumer.nextExecution()).isNull();
            assertThat(consumer.lastExecution().status()).as("its attempt, under way").isEqualTo("STARTED");
            assertThat(consumer.lastExecution().number()).isEqualTo(1);
            assertThat(consumer.lastExecution().durationMs()).isNull();

            DeclaredDescriptor doomed = described(context, "doomed");
            assertThat(doomed.lastExecution().status()).isEqualTo("ERROR");
            assertThat(doomed.lastExecution().exception()).isEqualTo(new TaskloopEndpoint.FailureDescriptor(IllegalStateException.class.getName(),
                    "doomed to fail"));
            assertThat(doomed.recentExecutions()).hasSize(1);
            assertThat(context.getBean(TaskloopEndpoint.class).task("rate").declared().schedule().kind())
                    .as("one task in detail carries them too").isEqualTo("fixedRate");
        });
    }

    @Test
    void pausingAPeriodicTaskStopsItsRunsAndResumingItGoesBackToItsSchedule() {
        runner.run(context -> {
            DeclaredTask rate = declared(context, "rate");
            ControlDescriptor paused = act(context, "rate", "pause");
            assertThat(paused.outcome()).isEqualTo(ControlOutcome.ACCEPTED);
            assertThat(paused.message()).isEqualTo("pause requested: task 'rate' starts no new run until it is resumed (a run under way finishes)");
            assertThat(paused.declared().paused()).isTrue();
            Awaitility.await("rate paused").atMost(Duration.ofSeconds(10)).until(() -> rate.status() == DeclaredTask.Status.PAUSED);
            assertThat(described(context, "rate").nextExecution()).isNull();

            assertThat(act(context, "rate", "PAUSE").outcome()).as("again, and in any case: nothing more to do").isEqualTo(ControlOutcome.ACCEPTED);
            ControlDescriptor resumed = act(context, "rate", "resume");
            assertThat(resumed.outcome()).isEqualTo(ControlOutcome.ACCEPTED);
            assertThat(resumed.message()).isEqualTo("resume requested: task 'rate' goes back to its schedule");
            Awaitility.await("rate running").atMost(Duration.ofSeconds(10)).until(() -> rate.status() == DeclaredTask.Status.RUNNING
                    && rate.nextExecution() != null);
            assertThat(act(context, "rate", "resume").message()).isEqualTo("task 'rate' is not paused; resume() resumes a task that pause() paused");

            assertThat(audit(context)).extracting(AuditEvent::getType)
                    .containsExactly("TASKLOOP_PAUSE", "TASKLOOP_PAUSE", "TASKLOOP_RESUME", "TASKLOOP_RESUME");
            assertThat(audit(context)).extracting(AuditEvent::getPrincipal).containsOnly("alice");
            assertThat(audit(context).getFirst().getData()).containsEntry("task", "rate").containsEntry("action", "pause")
                    .containsEntry("outcome", "ACCEPTED").containsKeys("status", "message");
            assertThat(audit(context).getLast().getData()).containsEntry("outcome", "CONFLICT");
        });
    }

    @Test
    void pausingALongRunningTaskCancelsItAtItsAwaitPointAndResumingItStartsItAgain() {
        runner.run(context -> {
            DeclaredTask consumer = declared(context, "consumer");
            Task<?> task = consumer.task();
            assertThat(act(context, "consumer", "pause").message())
                    .isEqualTo("pause requested: task 'consumer' is cancelled at its next await point and not restarted until it is resumed");
            Tasks tasks = context.getBean(Tasks.class);
            Awaitility.await("consumer paused").atMost(Duration.ofSeconds(10)).until(() -> consumer.status() == DeclaredTask.Status.PAUSED);
            assertThat(tasks.consumerCleanups).hasValue(1);
            assertThat(consumer.lastExecution().status()).isEqualTo(DeclaredTask.ExecutionStatus.CANCELLED);
            assertThat(consumer.task()).isSameAs(task);
            assertThat(act(context, "consumer", "resume").message()).isEqualTo("resume requested: task 'consumer' starts again as attempt 1");
            Awaitility.await("consumer resumed").atMost(Duration.ofSeconds(10)).until(() -> consumer.executionCounts().total() == 2);
            assertThat(consumer.status()).isEqualTo(DeclaredTask.Status.RUNNING);
        });
    }

    @Test
    void triggeringStartsOneRunNowAndNeverWhileARunIsUnderWay() {
        runner.run(context -> {
            DeclaredTask rate = declared(context, "rate");
            ControlDescriptor triggered = act(context, "rate", "trigger");
            assertThat(triggered.outcome()).isEqualTo(ControlOutcome.ACCEPTED);
            assertThat(triggered.message()).isEqualTo("one run of task 'rate' starts now");
            Awaitility.await("the triggered run").atMost(Duration.ofSeconds(10)).until(() -> rate.executionCounts().succeeded() == 1);
            assertThat(context.getBean(Tasks.class).rateRuns).hasValue(1);
            assertThat(described(context, "rate").lastExecution()).satisfies(e -> {
                assertThat(e.triggered()).isTrue();
                assertThat(e.status()).isEqualTo("SUCCESS");
                assertThat(e.durationMs()).isNotNull();
            });

            DeclaredTask slow = declared(context, "slow");
            assertThat(act(context, "slow", "trigger").outcome()).isEqualTo(ControlOutcome.ACCEPTED);
            Awaitility.await("slow's run under way").atMost(Duration.ofSeconds(10)).until(() -> slow.lastExecution() != null);
            ControlDescriptor again = act(context, "slow", "trigger");
            assertThat(again.outcome()).isEqualTo(ControlOutcome.CONFLICT);
            assertThat(again.message()).startsWith("task 'slow' is running run 1 (started at ")
                    .endsWith("a triggered run never overlaps a running one: trigger again when it has ended");
            assertThat(again.declared().lastExecution().status()).isEqualTo("STARTED");

            ControlDescriptor continuous = act(context, "consumer", "trigger");
            assertThat(continuous.outcome()).isEqualTo(ControlOutcome.CONFLICT);
            assertThat(continuous.message()).contains("runs once per attempt (it is not periodic): it cannot be triggered");
            assertThat(audit(context)).extracting(AuditEvent::getType).containsOnly("TASKLOOP_TRIGGER");
            assertThat(audit(context)).extracting(e -> e.getData().get("outcome")).containsExactly("ACCEPTED", "ACCEPTED", "CONFLICT", "CONFLICT");
        });
    }

    @Test
    void reschedulingGivesANewScheduleFromTheNextRunCheckedAsTheAnnotationIs() {
        runner.run(context -> {
            DeclaredTask rate = declared(context, "rate");
            ControlDescriptor ok = reschedule(context, "rate", "30s", null, null, null);
            assertThat(ok.outcome()).isEqualTo(ControlOutcome.ACCEPTED);
            assertThat(ok.message()).isEqualTo("task 'rate' runs on its new schedule from its next run, on this replica until the application stops");
            assertThat(ok.declared().schedule()).isEqualTo(new TaskloopEndpoint.ScheduleDescriptor("fixedRate", 30_000L, 0L, null, null, "SKIP", true));
            Awaitility.await("the new plan").atMost(Duration.ofSeconds(10))
                    .until(() -> rate.nextExecution() != null && rate.nextExecution().isBefore(Instant.now().plusSeconds(31)));

            assertThat(reschedule(context, "nightly", null, null, "0 30 4 * * MON-FRI", "UTC").declared().schedule())
                    .isEqualTo(new TaskloopEndpoint.ScheduleDescriptor("cron", null, null, "0 30 4 * * MON-FRI", "UTC", "SKIP", true));

            assertBadSchedule(context, reschedule(context, "rate", null, "10 parsecs", null, null),
                    "The new schedule of task 'rate' has an invalid fixedDelay '10 parsecs'; use a duration such as 500ms, 30s, 5m or PT1M");
            assertBadSchedule(context, reschedule(context, "rate", "0s", null, null, null),
                    "The new schedule of task 'rate' has fixedRate '0s', which is not positive; use a duration greater than zero");
            assertBadSchedule(context, reschedule(context, "rate", "1s", null, "0 * * * * *", null),
                    "The new schedule of task 'rate' sets fixedRate and cron; choose one of fixedRate, fixedDelay and cron");
            assertBadSchedule(context, reschedule(context, "rate", null, null, "every minute", null),
                    "use six fields, seconds first, such as '0 */5 * * * *', or a macro such as '@hourly'");
            assertBadSchedule(context, reschedule(context, "rate", "1s", null, null, "UTC"),
                    "The new schedule of task 'rate' sets zone 'UTC' without cron; remove zone, or add a cron expression");
            assertBadSchedule(context, reschedule(context, "rate", null, null, "0 * * * * *", "Mars/Olympus"),
                    "The new schedule of task 'rate' has an unknown zone 'Mars/Olympus'; use a zone id such as 'UTC' or 'Europe/Paris'");
            assertBadSchedule(context, reschedule(context, "rate", null, null, null, null),
                    "The new schedule of task 'rate' names no schedule; give one of fixedRate, fixedDelay and cron");
            assertBadSchedule(context, context.getBean(TaskloopEndpoint.class).control("rate", "reschedule", null, null, "0 * * * * *", null, "5s",
                    null, ALICE), "remove initialDelay, or make the task periodic with fixedRate or fixedDelay");
            assertBadSchedule(context, context.getBean(TaskloopEndpoint.class).control("rate", "reschedule", "1s", null, null, null, null,
                    "LATER", ALICE), "The new schedule of task 'rate' has an unknown overrun 'LATER'; use SKIP or CATCH_UP");
            assertThat(rate.schedule()).as("refused schedules change nothing")
                    .isEqualTo(new dev.taskloop.spring.Schedule.FixedRate(Duration.ofSeconds(30), Duration.ZERO, dev.taskloop.spring.Overrun.SKIP));

            ControlDescriptor continuous = reschedule(context, "consumer", "1s", null, null, null);
            assertThat(continuous.outcome()).isEqualTo(ControlOutcome.CONFLICT);
            assertThat(audit(context)).extracting(AuditEvent::getType).containsOnly("TASKLOOP_RESCHEDULE");
            assertThat(audit(context).getFirst().getData()).containsEntry("fixedRate", "30s").containsEntry("outcome", "ACCEPTED");
            assertThat(audit(context).get(2).getData()).containsEntry("fixedDelay", "10 parsecs").containsEntry("outcome", "BAD_REQUEST");
        });
    }

    private static void assertBadSchedule(AssertableApplicationContext context, ControlDescriptor d, String message) {
        assertThat(d.outcome()).isEqualTo(ControlOutcome.BAD_REQUEST);
        assertThat(d.message()).endsWith(message);
    }

    @Test
    void restartingATaskThatFailedForGoodStartsItAgainAndARunningOneIsNotRestarted() {
        runner.run(context -> {
            DeclaredTask doomed = declared(context, "doomed");
            assertThat(doomed.status()).isEqualTo(DeclaredTask.Status.FAILED);
            ControlDescriptor restarted = act(context, "doomed", "restart");
            assertThat(restarted.outcome()).isEqualTo(ControlOutcome.ACCEPTED);
            assertThat(restarted.message()).isEqualTo("task 'doomed' starts again as attempt 1, its restart intensity afresh");
            Awaitility.await("doomed failed again").atMost(Duration.ofSeconds(10)).until(() -> doomed.executionCounts().failed() == 2);
            assertThat(doomed.status()).isEqualTo(DeclaredTask.Status.FAILED);

            ControlDescriptor running = act(context, "consumer", "restart");
            assertThat(running.outcome()).isEqualTo(ControlOutcome.CONFLICT);
            assertThat(running.message()).isEqualTo("task 'consumer' is RUNNING: it has not ended; restart() starts a task that ended"
                    + " (FAILED, COMPLETED or STOPPED) again");
            assertThat(audit(context)).extracting(AuditEvent::getType).containsExactly("TASKLOOP_RESTART", "TASKLOOP_RESTART");
        });
    }

    @Test
    void aSingletonThisReplicaDoesNotLeadIsNotOperatedHere() {
        runner.run(context -> {
            assertThat(declared(context, "leader-only").status()).isEqualTo(DeclaredTask.Status.STANDBY);
            for (String action : List.of("pause", "resume", "trigger", "restart")) {
                ControlDescriptor d = act(context, "leader-only", action);
                assertThat(d.outcome()).as(action).isEqualTo(ControlOutcome.CONFLICT);
                assertThat(d.message()).as(action).startsWith("task 'leader-only' is a singleton of election 'leader-only', and this replica does"
                        + " not lead it (STANDBY)").endsWith("send the request to the replica that leads the election");
            }
            assertThat(reschedule(context, "leader-only", "5s", null, null, null).outcome()).isEqualTo(ControlOutcome.CONFLICT);
        });
    }

    @Test
    void aMalformedRequestIsRefusedNamingWhatIsAllowed() {
        runner.run(context -> {
            TaskloopEndpoint endpoint = context.getBean(TaskloopEndpoint.class);
            declared(context, "rate");
            assertRefused(endpoint.control("rate", "explode", null, null, null, null, null, null, ALICE), ControlOutcome.BAD_REQUEST,
                    "unknown action 'explode'; the actions are pause, resume, trigger, reschedule and restart");
            assertRefused(endpoint.control("rate", null, null, null, null, null, null, null, SecurityContext.NONE), ControlOutcome.BAD_REQUEST,
                    "a control request names its action: send a JSON body such as {\"action\":\"pause\"}; the actions are pause, resume, trigger,"
                            + " reschedule and restart");
            assertRefused(endpoint.control("rate", "pause", "1s", null, null, null, null, null, ALICE), ControlOutcome.BAD_REQUEST,
                    "action 'pause' takes no other field than action, but the request has fixedRate; fixedRate, fixedDelay, cron, zone,"
                            + " initialDelay, overrun are for reschedule");
            assertRefused(endpoint.control("ghost", "pause", null, null, null, null, null, null, ALICE), ControlOutcome.UNKNOWN,
                    "no declared task has the name or attempt id 'ghost'; use a declared task's name, as GET /actuator/taskloop lists them"
                            + " under 'declared'");
            assertRefused(endpoint.control("0", "pause", null, null, null, null, null, null, ALICE), ControlOutcome.BAD_REQUEST,
                    "Task id 0 is not valid: ids start at 1");
            Task<?> adHoc = context.getBean(EventLoop.class).spawn("helper", () -> Async.sleep(Duration.ofDays(1)));
            assertRefused(endpoint.control(Long.toString(adHoc.id()), "pause", null, null, null, null, null, null, ALICE), ControlOutcome.CONFLICT,
                    "task '" + adHoc.id() + "' is not a declared task (it was spawned ad hoc): only a @BackgroundTask can be paused, resumed,"
                            + " triggered, rescheduled or restarted; DELETE cancels it");
            DeclaredTask rate = context.getBean(DeclaredTasks.class).find("rate").orElseThrow();
            assertThat(endpoint.control(Long.toString(rate.task().id()), "pause", null, null, null, null, null, null, ALICE).outcome())
                    .as("by the id of its attempt").isEqualTo(ControlOutcome.ACCEPTED);

            List<AuditEvent> events = audit(context);
            assertThat(events).extracting(AuditEvent::getType).containsExactly("TASKLOOP_CONTROL", "TASKLOOP_CONTROL", "TASKLOOP_PAUSE",
                    "TASKLOOP_PAUSE", "TASKLOOP_PAUSE", "TASKLOOP_PAUSE", "TASKLOOP_PAUSE");
            assertThat(events).extracting(AuditEvent::getPrincipal).containsExactly("alice", TaskloopEndpoint.ANONYMOUS, "alice", "alice", "alice",
                    "alice", "alice");
            assertThat(events.getFirst().getData()).containsEntry("action", "explode").containsEntry("outcome", "BAD_REQUEST");
            assertThat(events.get(3).getData()).containsEntry("outcome", "UNKNOWN").doesNotContainKey("status");
        });
    }

    private static void assertRefused(ControlDescriptor d, ControlOutcome outcome, String message) {
        assertThat(d.outcome()).isEqualTo(outcome);
        assertThat(d.message()).isEqualTo(message);
    }
}
