package dev.taskloop.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.actuate.LoopEvents;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint.CancelOutcome;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint.LoopDescriptor;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint.TaskDescriptor;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint.TaskDetailDescriptor;
import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopEndpointAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.Awaiting;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The endpoint's operations, called directly on an application with declared and ad-hoc tasks. */
class TaskloopEndpointTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class, TaskloopEndpointAutoConfiguration.class))
            .withUserConfiguration(Tasks.class)
            .withPropertyValues("management.endpoints.web.exposure.include=taskloop", "taskloop.shutdown.exit-zero-on-sigterm=false",
                    "taskloop.endpoint.max-tasks=5", "taskloop.endpoint.history-size=4", "taskloop.slow-step-threshold=50ms",
                    "taskloop.health.stuck-threshold=100ms", "taskloop.health.check-interval=50ms");

    @Configuration(proxyBeanMethods = false)
    static class Tasks {
        @Bean
        Declared declared() {
            return new Declared();
        }
    }

    static class Declared {
        @BackgroundTask(name = "sleeper")
        void sleeper() {
            Async.sleep(Duration.ofDays(1));
        }

        @BackgroundTask(name = "once", restart = dev.taskloop.spring.Restart.NEVER)
        void once() {
        }
    }

    /** Alice, an operator (also the control tests'). */
    static final SecurityContext ALICE = new SecurityContext() {
        @Override
        public Principal getPrincipal() {
            return () -> "alice";
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }
    };

    private static TaskloopEndpoint endpoint(AssertableApplicationContext context) {
        return context.getBean(TaskloopEndpoint.class);
    }

    /**
     * A declared task, once the loop has turned after the lifecycle started it: a no-op task queued
     * now runs after the declared tasks' first steps (the ready queue is FIFO), so by the time it has
     * been joined they have all reached their first await point (or ended).
     */
    private static DeclaredTask declared(AssertableApplicationContext context, String name) {
        context.getBean(EventLoop.class).spawn(() -> { }).join();
        return context.getBean(DeclaredTaskRegistry.class).find(name).orElseThrow();
    }

    @Test
    void listsEveryLoopAndTheTaskHoldingTheBatonWithHowLongAndItsStackWhileItIsStuck() {
        runner.run(context -> {
            try (LoopEvents.Hog hog = LoopEvents.hog(context.getBean(EventLoop.class), "hog")) {
                LoopDescriptor main = endpoint(context).taskloop().loops().getFirst();
                assertThat(main.name()).isEqualTo("main");
                assertThat(main.status()).isEqualTo("STUCK");
                assertThat(main.batonHolder().taskId()).isEqualTo(hog.task().id());
                assertThat(main.batonHolder().taskName()).isEqualTo("hog");
                assertThat(main.batonHolder().heldForMs()).isGreaterThanOrEqualTo(100);
                assertThat(main.batonHolder().slow()).isTrue();
                assertThat(main.batonHolder().blocked()).isTrue();
                assertThat(main.batonHolder().threadState()).isEqualTo("WAITING");
                assertThat(main.batonHolder().stack()).anyMatch(f -> f.startsWith("java.base/java.util.concurrent.CountDownLatch.await("));
                assertThat(main.stuckThresholdMs()).isEqualTo(100);
                assertThat(main.slowStepThresholdMs()).isEqualTo(50);
                assertThat(main.liveTasks()).isGreaterThanOrEqualTo(2);
                assertThat(main.lag().sinceStart().count()).isEqualTo(main.steps());
            }
        });
    }

    @Test
    void findsATaskByDeclaredNameOrIdWithWhereItWaitsAndItsLiveStack() {
        runner.run(context -> {
            DeclaredTask sleeper = declared(context, "sleeper");
            assertThat(sleeper.status()).isEqualTo(DeclaredTask.Status.RUNNING);
            TaskDetailDescriptor byName = endpoint(context).task("sleeper");
            assertThat(byName.task().id()).isEqualTo(sleeper.task().id());
            assertThat(byName.task().state()).isEqualTo("ASLEEP");
            assertThat(byName.task().awaiting().kind()).isEqualTo("sleep");
            assertThat(byName.task().declared().status()).isEqualTo("RUNNING");
            assertThat(byName.declared().name()).isEqualTo("sleeper");
            assertThat(byName.stack()).anyMatch(f -> f.startsWith("dev.taskloop.core.Async.sleep("))
                    .anyMatch(f -> f.contains("TaskloopEndpointTest$Declared.sleeper("));
            assertThat(byName.batonHeldForMs()).isNull();
            assertThat(byName.ended()).isNull();

            TaskDetailDescriptor byId = endpoint(context).task(Long.toString(sleeper.task().id()));
            assertThat(byId.task().name()).isEqualTo("sleeper");
            assertThat(byId.declared().name()).isEqualTo("sleeper");
        });
    }

    @Test
    void anUnknownTaskIsNotFoundAndLookingItUpCreatesNothing() {
        runner.run(context -> {
            EventLoop loop = context.getBean(EventLoop.class);
            long spawned = loop.snapshot().spawned();
            assertThat(endpoint(context).task("ghost")).isNull();
            assertThat(endpoint(context).task("987654321")).isNull();
            assertThat(context.getBean(DeclaredTaskRegistry.class).find("ghost")).isEmpty();
            assertThat(loop.snapshot().spawned()).isEqualTo(spawned);
        });
    }

    @Test
    void aSelectorThatCannotNameATaskIsABadRequest() {
        runner.run(context -> {
            TaskloopEndpoint endpoint = endpoint(context);
            assertBadRequest(() -> endpoint.task("0"), "Task id 0 is not valid: ids start at 1");
            assertBadRequest(() -> endpoint.task("99999999999999999999"),
                    "Task id 99999999999999999999 is out of range: ids are positive 64-bit integers");
            assertBadRequest(() -> endpoint.task(" "), "A task selector must be a task id or a declared task name; it was blank");
            assertBadRequest(() -> endpoint.task("a\u0007b"),
                    "A task selector must not contain control characters; this one has U+0007 at index 1; use a task id or a declared task name");
            assertBadRequest(() -> endpoint.task("x".repeat(257)), "A task selector is at most 256 characters; this one has 257"
                    + " ('xxxxxxxxxxxxxxxxxxxx...'); use a task id or a declared task name");
            assertBadRequest(() -> endpoint.cancel("0", ALICE), "Task id 0 is not valid: ids start at 1");
        });
    }

    private static void assertBadRequest(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(InvalidEndpointRequestException.class).hasMessage(message);
    }

    @Test
    void listsAtMostMaxTasksLiveTasksWithTheDeclaredOnesFirst() {
        runner.run(context -> {
            declared(context, "sleeper");
            EventLoop loop = context.getBean(EventLoop.class);
            for (int i = 0; i < 10; i++) {
                loop.spawn("adhoc-" + i, () -> Async.sleep(Duration.ofDays(1)));
            }
            TaskloopEndpoint.TaskloopDescriptor all = endpoint(context).taskloop();
            assertThat(all.tasks()).hasSize(5);
            assertThat(all.tasks().getFirst().name()).isEqualTo("sleeper");
            assertThat(all.tasks().getFirst().declared()).isNotNull();
            assertThat(all.tasks().subList(1, 5)).allMatch(t -> t.declared() == null && t.name().startsWith("adhoc-"));
            assertThat(all.tasksOmitted()).as("sleeper and 10 ad-hoc tasks alive, 5 listed").isEqualTo(6);
            assertThat(all.declared()).extracting(TaskloopEndpoint.DeclaredDescriptor::name).containsExactly("once", "sleeper");
            assertThat(all.declared().getFirst().status()).isEqualTo("COMPLETED");
        });
    }

    @Test
    void anAdHocTaskNamedLikeADeclaredTaskIsShownAsAdHocAndTheDeclaredNameStillFindsTheDeclaredTask() {
        runner.run(context -> {
            DeclaredTask sleeper = declared(context, "sleeper");
            Task<?> impostor = context.getBean(EventLoop.class).spawn("sleeper", () -> Async.sleep(Duration.ofDays(1)));

            TaskloopEndpoint.TaskloopDescriptor all = endpoint(context).taskloop();
            assertThat(all.tasks()).filteredOn(t -> t.id() == impostor.id()).singleElement()
                    .satisfies(t -> assertThat(t.declared()).as("ad hoc, though named 'sleeper'").isNull());
            assertThat(all.tasks()).filteredOn(t -> t.id() == sleeper.task().id()).singleElement()
                    .satisfies(t -> assertThat(t.declared()).isNotNull());
            assertThat(all.tasks().getFirst().id()).as("the declared one first").isEqualTo(sleeper.task().id());

            TaskDetailDescriptor byId = endpoint(context).task(Long.toString(impostor.id()));
            assertThat(byId.task().name()).isEqualTo("sleeper");
            assertThat(byId.task().declared()).isNull();
            assertThat(byId.declared()).isNull();

            TaskDetailDescriptor byName = endpoint(context).task("sleeper");
            assertThat(byName.task().id()).isEqualTo(sleeper.task().id());
            assertThat(byName.declared().name()).isEqualTo("sleeper");
        });
    }

    @Test
    void cancellingADeclaredTaskStopsItForGoodAndItsHistorySaysAnOperatorDidIt() {
        runner.run(context -> {
            DeclaredTask sleeper = declared(context, "sleeper");
            assertThat(sleeper.status()).isEqualTo(DeclaredTask.Status.RUNNING);
            Task<?> attempt = sleeper.task();

            TaskloopEndpoint.CancelDescriptor[] result = new TaskloopEndpoint.CancelDescriptor[1];
            LoopEvents.awaitEnded(context.getBean(EventLoop.class), "sleeper", () -> result[0] = endpoint(context).cancel("sleeper", ALICE));
            assertThat(result[0].outcome()).isEqualTo(CancelOutcome.CANCELLED);
            assertThat(result[0].taskId()).isEqualTo(attempt.id());
            assertThat(sleeper.status()).as("set by the attempt as it ends").isEqualTo(DeclaredTask.Status.STOPPED);

            TaskDetailDescriptor after = endpoint(context).task("sleeper");
            assertThat(after.task()).isNull();
            assertThat(after.ended().outcome()).isEqualTo("CANCELLED");
            assertThat(after.ended().cause()).isEqualTo("operator");
            assertThat(after.ended().reason()).isEqualTo(
                    "cancelled by operator 'alice' through the Actuator endpoint 'taskloop'");
            assertThat(after.declared().status()).isEqualTo("STOPPED");
            assertThat(after.declared().restarts()).isZero();
            assertThat(endpoint(context).task(Long.toString(attempt.id())).ended().cause()).isEqualTo("operator");

            TaskloopEndpoint.CancelDescriptor again = endpoint(context).cancel("sleeper", SecurityContext.NONE);
            assertThat(again.outcome()).isEqualTo(CancelOutcome.ALREADY_ENDED);
            assertThat(again.message()).isEqualTo("task 'sleeper' is not running (CANCELLED); there is nothing to cancel");
        });
    }

    @Test
    void cancellingWithoutAPrincipalNamesAnOperatorAndAnUnknownTaskIsUnknown() {
        runner.run(context -> {
            EventLoop loop = context.getBean(EventLoop.class);
            Task<?> t = loop.spawn("victim", () -> Async.sleep(Duration.ofDays(1)));
            assertThat(endpoint(context).cancel(Long.toString(t.id()), SecurityContext.NONE).outcome()).isEqualTo(CancelOutcome.CANCELLED);
            assertThat(t.toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
            assertThat(t.snapshot().cancelReason()).isEqualTo(CancelReason.of(CancelOrigins.OPERATOR,
                    "cancelled by an operator through the Actuator endpoint 'taskloop'"));
            assertThat(endpoint(context).cancel("ghost", ALICE).outcome()).isEqualTo(CancelOutcome.UNKNOWN);
        });
    }

    @Test
    void theHistoryKeepsTheLastTasksThatEndedNewestFirstWithWhyTheyEnded() {
        runner.run(context -> {
            EventLoop loop = context.getBean(EventLoop.class);
            for (int i = 0; i < 6; i++) {
                int n = i;
                LoopEvents.awaitEnded(loop, "quick-" + i, () -> loop.spawn("quick-" + n, () -> {
                    if (n == 5) {
                        throw new IllegalStateException("the last one fails");
                    }
                    return n;
                }).toCompletableFuture());
            }
            List<TaskloopEndpoint.EndedDescriptor> ended = endpoint(context).taskloop().recentlyEnded();
            assertThat(ended).extracting(TaskloopEndpoint.EndedDescriptor::name).containsExactly("quick-5", "quick-4", "quick-3", "quick-2");
            assertThat(ended.getFirst().outcome()).isEqualTo("FAILED");
            assertThat(ended.getFirst().cause()).isEqualTo("failed");
            assertThat(ended.getFirst().failure()).isEqualTo(new TaskloopEndpoint.FailureDescriptor(
                    IllegalStateException.class.getName(), "the last one fails"));
            assertThat(ended.get(1).cause()).isEqualTo("completed");
            assertThat(ended.get(1).endedAt()).isNotNull();
        });
    }

    @Test
    void aTaskWaitingOnAHeldPrimitiveNamesTheTaskHoldingIt() {
        TaskSnapshot waiter = new TaskSnapshot(12, "reader", "main", null, Task.State.ASLEEP, 1_000, 2_000_000, 3_000, 2,
                new Awaiting("lock", "orders-lock", 7, "writer", 1_000_000), false, null, null, 0, -1);
        TaskDescriptor d = TaskDescriptor.of(waiter, 5_000_000, null);
        assertThat(d.awaiting().kind()).isEqualTo("lock");
        assertThat(d.awaiting().target()).isEqualTo("orders-lock");
        assertThat(d.awaiting().holder()).isEqualTo(new TaskloopEndpoint.TaskRef(7, "writer"));
        assertThat(d.awaiting().forMs()).isEqualTo(4.0);
        assertThat(d.asleepMs()).isEqualTo(2.0);
        assertThat(d.ageMs()).isEqualTo(5.0);
    }

    @Test
    void theEndpointRejectsAMaxTasksBelowOne() {
        assertThatThrownBy(() -> new TaskloopEndpoint(null, null, null, null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTasks must be at least 1, was 0");
    }

    /** Collects the audit events the application publishes. */
    static class AuditEvents implements ApplicationListener<AuditApplicationEvent> {
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(AuditApplicationEvent event) {
            events.add(event.getAuditEvent());
        }
    }

    @Test
    void everyCancelRequestIsPublishedAsAnAuditEventWithWhoAskedAndWhatHappened() {
        runner.withBean(AuditEvents.class).run(context -> {
            DeclaredTask sleeper = declared(context, "sleeper");
            long id = sleeper.task().id();
            TaskloopEndpoint endpoint = endpoint(context);
            LoopEvents.awaitEnded(context.getBean(EventLoop.class), "sleeper", () -> endpoint.cancel("sleeper", ALICE));
            endpoint.cancel("sleeper", ALICE);
            endpoint.cancel("ghost", SecurityContext.NONE);

            List<AuditEvent> events = context.getBean(AuditEvents.class).events;
            assertThat(events).extracting(AuditEvent::getType).containsOnly(TaskloopEndpoint.AUDIT_CANCEL);
            assertThat(events).extracting(AuditEvent::getPrincipal).containsExactly("alice", "alice", TaskloopEndpoint.ANONYMOUS);
            assertThat(events.get(0).getData()).containsEntry("task", "sleeper").containsEntry("outcome", "CANCELLED")
                    .containsEntry("taskId", id).containsKeys("state", "message");
            assertThat(events.get(1).getData()).containsEntry("outcome", "ALREADY_ENDED").containsEntry("state", "CANCELLED");
            assertThat(events.get(2).getData()).containsEntry("task", "ghost").containsEntry("outcome", "UNKNOWN")
                    .doesNotContainKey("taskId");
        });
    }
}
