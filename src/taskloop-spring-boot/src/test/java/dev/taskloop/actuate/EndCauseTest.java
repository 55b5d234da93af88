package dev.taskloop.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.TaskGroup;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Strategy;
import dev.taskloop.spring.support.Backoff;
import dev.taskloop.spring.support.GroupSpec;
import dev.taskloop.spring.support.RestartIntensity;
import dev.taskloop.spring.support.Supervisor;
import dev.taskloop.spring.support.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Why a task ended, for every way the runtime, the supervisor and the endpoint end one: each case is
 * produced for real, and the cause comes from the cancellation's typed origin, so that rewording a
 * message changes nothing and an application's reason that happens to say "timeout" or "shutdown"
 * stays the application's.
 */
class EndCauseTest {

    private final List<TaskSnapshot> ended = new CopyOnWriteArrayList<>();
    private final LoopListener recorder = new LoopListener() {
        @Override
        public void taskEnded(TaskSnapshot task) {
            ended.add(task);
        }
    };
    private final TestLoop test = TestLoop.create().listener(recorder);

    @AfterEach
    void close() {
        test.close();
    }

    private String causeOf(String name) {
        TaskSnapshot s = ended.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no task '" + name + "' ended; ended: " + ended));
        return EndCause.of(s);
    }

    @Test
    void aTaskThatReturnedCompletedAndOneThatThrewFailed() {
        test.loop().spawn("fine", () -> "ok");
        test.loop().spawn("broken", () -> {
            throw new IllegalStateException("boom");
        }).toCompletableFuture();
        test.runCurrent();
        assertThat(causeOf("fine")).isEqualTo("completed");
        assertThat(causeOf("broken")).isEqualTo("failed");
    }

    @Test
    void aTaskCancelledWithTheOperatorOriginWasCancelledByAnOperatorWhateverTheMessage() {
        Task<?> t = test.loop().spawn("victim", () -> Async.sleep(Duration.ofHours(1)));
        test.runCurrent();
        t.cancel(CancelReason.of(CancelOrigins.OPERATOR, "the deadline passed"));
        test.runCurrent();
        assertThat(causeOf("victim")).isEqualTo("operator");
    }

    @Test
    void theOperatorsWordsGivenByTheApplicationAreStillTheApplications() {
        Task<?> t = test.loop().spawn("victim", () -> Async.sleep(Duration.ofHours(1)));
        test.runCurrent();
        t.cancel("cancelled by operator 'alice' through the Actuator endpoint 'taskloop'");
        test.runCurrent();
        assertThat(causeOf("victim")).isEqualTo("application");
    }

    @Test
    void aTaskCancelledByATimeoutAroundItsGroupWasCancelledByTimeout() {
        test.loop().spawn("main", () -> {
            try {
                Async.withTimeout(Duration.ofSeconds(1), () -> {
                    TaskGroup g = TaskGroup.create("fan-out");
                    g.run(() -> g.spawn("slow-child", () -> Async.sleep(Duration.ofHours(1))));
                    return null;
                });
            } catch (RuntimeException expected) {
                // TimeoutExpiredException
            }
        });
        test.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(causeOf("slow-child")).isEqualTo("timeout");
    }

    @Test
    void aTaskCancelledBecauseItsSiblingFailedWasCancelledBySiblingFailure() {
        test.loop().spawn("main", () -> {
            TaskGroup g = TaskGroup.create("pair");
            try {
                g.run(() -> {
                    g.spawn("patient", () -> Async.sleep(Duration.ofHours(1)));
                    g.spawn("failing", () -> {
                        Async.sleep(Duration.ofSeconds(1));
                        throw new IllegalStateException("sibling went wrong: it failed: badly");
                    });
                });
            } catch (RuntimeException expected) {
                // TaskGroupException
            }
        });
        test.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(causeOf("patient")).isEqualTo("sibling-failure");
        assertThat(causeOf("failing")).isEqualTo("failed");
    }

    @Test
    void aTaskCancelledWhenItsLoopShutDownWasCancelledByShutdown() throws InterruptedException {
        CountDownLatch told = new CountDownLatch(1); // close() may return a moment before the listeners are told
        try (EventLoop loop = EventLoop.builder().name("closing").listener(recorder).listener(new LoopListener() {
            @Override
            public void taskEnded(TaskSnapshot task) {
                told.countDown();
            }
        }).build()) {
            loop.spawn("sleeper", () -> Async.sleep(Duration.ofHours(1)));
        }
        assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(causeOf("sleeper")).isEqualTo("shutdown");
    }

    @Test
    void aTaskRestartedWithItsFailedGroupMateWasCancelledByTheSupervisor() {
        AtomicInteger attempts = new AtomicInteger();
        Backoff now = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, 0);
        RestartIntensity five = new RestartIntensity(5, Duration.ofMinutes(1));
        GroupSpec group = GroupSpec.builder("ingest").strategy(Strategy.ONE_FOR_ALL).intensity(five).tasks(
                TaskSpec.builder("consumer").restart(Restart.ON_FAILURE).backoff(now).intensity(five)
                        .body(ctx -> Async.sleep(Duration.ofHours(1))).build(),
                TaskSpec.builder("producer").restart(Restart.ON_FAILURE).backoff(now).intensity(five).body(ctx -> {
                    if (attempts.incrementAndGet() == 1) {
                        Async.sleep(Duration.ofSeconds(1));
                        throw new IllegalStateException("producer lost its connection");
                    }
                    Async.sleep(Duration.ofHours(1));
                }).build()).build();
        Supervisor.start(test.loop(), group, Supervisor.Environment.defaults());
        test.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(causeOf("consumer")).isEqualTo("supervisor");
        assertThat(causeOf("producer")).isEqualTo("failed");
    }

    @Test
    void aTaskCancelledBecauseTheTaskJoiningItWasCancelledSaysSo() {
        Task<?> main = test.loop().spawn("main", () -> {
            Task<?> target = Async.spawn("joined", () -> Async.sleep(Duration.ofHours(1)));
            target.join();
        });
        test.runCurrent();
        main.cancel("the caller gave up");
        test.runCurrent();
        assertThat(causeOf("joined")).isEqualTo("joiner-cancelled");
        assertThat(causeOf("main")).isEqualTo("application");
    }

    @Test
    void aTaskCancelledByApplicationCodeWasCancelledByTheApplication() {
        Task<?> t = test.loop().spawn("victim", () -> Async.sleep(Duration.ofHours(1)));
        test.runCurrent();
        t.cancel("no longer needed (is shutting down: not the loop)");
        test.runCurrent();
        assertThat(causeOf("victim")).isEqualTo("application");
    }

    @Test
    void anApplicationReasonThatSaysTimeoutAndShutdownIsTheApplications() {
        Task<?> t = test.loop().spawn("victim", () -> Async.sleep(Duration.ofHours(1)));
        test.runCurrent();
        t.cancel("the deadline passed: timeout; event loop 'main' is shutting down");
        test.runCurrent();
        assertThat(causeOf("victim")).isEqualTo("application");
    }

    @Test
    void aTaskThatRethrowsACancellationOfItsOwnMakingWasCancelledByTheApplication() {
        test.loop().spawn("self-cancelling", () -> {
            throw new java.util.concurrent.CancellationException("the deadline passed");
        });
        test.runCurrent();
        assertThat(causeOf("self-cancelling")).isEqualTo("application");
    }

    @Test
    void anOriginOfTheApplicationsOwnIsShownByItsLabel() {
        Task<?> t = test.loop().spawn("victim", () -> Async.sleep(Duration.ofHours(1)));
        test.runCurrent();
        t.cancel(CancelReason.of(CancelOrigin.of("rebalance"), "partition 3 moved to another replica"));
        test.runCurrent();
        assertThat(causeOf("victim")).isEqualTo("rebalance");
    }

    @Test
    void aTaskThatHasNotEndedHasNoCause() {
        Task<?> t = test.loop().spawn("alive", () -> Async.sleep(Duration.ofHours(1)));
        test.runCurrent();
        assertThat(EndCause.of(t.snapshot())).isNull();
    }
}
