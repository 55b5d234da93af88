package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.core.stream.AsyncStream;
import dev.taskloop.core.testing.EndedTasks;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every cancellation the core makes carries its origin as a type: produced for real here, read back
 * from the ended task's snapshot, never from its message.
 */
class CancelReasonTest {

    private final EndedTasks recorder = new EndedTasks();
    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create().listener(recorder);

    private CancelReason reasonOf(String name) {
        TaskSnapshot s = recorder.named(name);
        assertThat(s.state()).as("state of '%s'", name).isEqualTo(Task.State.CANCELLED);
        return s.cancelReason();
    }

    @Test
    void aStringReasonIsTheApplicationsEvenWhenItSaysTimeoutOrShutdown() {
        Task<?> t = test.loop().spawn("victim", () -> Async.sleep(Duration.ofHours(1)));
        test.runCurrent();
        t.cancel("the deadline passed: timeout, the event loop 'main' is shutting down");
        test.runCurrent();

        assertThat(reasonOf("victim")).isEqualTo(CancelReason.application("the deadline passed: timeout, the event loop 'main' is shutting down"));
        assertThat(reasonOf("victim").origin()).isEqualTo(CancelOrigin.APPLICATION);
    }

    @Test
    void aReasonWithAnOriginOfItsOwnIsKeptWhilePendingAndAfterTheEnd() {
        CancelOrigin rebalance = CancelOrigin.of("rebalance");
        Task<?> t = test.loop().spawn("victim", () -> Async.sleep(Duration.ofHours(1)));
        test.runCurrent();
        t.cancel(CancelReason.of(rebalance, "partition 3 moved"));
        t.cancel("a second reason is ignored");

        assertThat(t.snapshot().cancelReason()).isEqualTo(CancelReason.of(rebalance, "partition 3 moved"));
        test.runCurrent();
        assertThat(reasonOf("victim")).isEqualTo(CancelReason.of(rebalance, "partition 3 moved"));
        assertThatThrownBy(t::join).isInstanceOfSatisfying(CancelledException.class,
                e -> assertThat(e.reason()).isEqualTo(CancelReason.of(rebalance, "partition 3 moved")));
    }

    @Test
    void theCancelledExceptionAtTheAwaitPointCarriesTheReason() {
        Task<CancelReason> t = test.loop().spawn("victim", () -> {
            try {
                Async.sleep(Duration.ofHours(1));
                return null;
            } catch (CancelledException e) {
                return e.reason(); // swallowed on purpose: the test reads what the await point threw
            }
        });
        test.runCurrent();
        t.cancel(CancelReason.of(CancelOrigin.of("operator"), "cancelled by an operator"));
        test.runCurrent();

        assertThat(t.result()).isEqualTo(CancelReason.of(CancelOrigin.of("operator"), "cancelled by an operator"));
    }

    @Test
    void aTimeoutAroundAGroupCancelsItsChildrenWithOriginTimeout() {
        test.loop().spawn("main", () -> {
            try {
                Async.withTimeout(Duration.ofSeconds(1), () -> {
                    TaskGroup g = TaskGroup.create("fan-out");
                    g.run(() -> g.spawn("slow-child", () -> Async.sleep(Duration.ofHours(1))));
                    return null;
                });
            } catch (TimeoutExpiredException expected) {
                // the timeout's edge
            }
        });
        test.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(reasonOf("slow-child")).isEqualTo(CancelReason.of(CancelOrigin.TIMEOUT, "the deadline passed"));
    }

    @Test
    void aFailingSiblingCancelsTheOthersWithOriginSiblingFailure() {
        test.loop().spawn("main", () -> {
            TaskGroup g = TaskGroup.create("pair");
            try {
                g.run(() -> {
                    g.spawn("patient", () -> Async.sleep(Duration.ofHours(1)));
                    g.spawn("failing", () -> {
                        Async.sleep(Duration.ofSeconds(1));
                        throw new IllegalStateException("the deadline passed: timeout");
                    });
                });
            } catch (TaskGroupException expected) {
                // the failure surfaces at the group's edge
            }
        });
        test.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(reasonOf("patient").origin()).isEqualTo(CancelOrigin.SIBLING_FAILURE);
        assertThat(reasonOf("patient").message()).isEqualTo("task 'failing' failed: java.lang.IllegalStateException: the deadline passed: timeout");
    }

    @Test
    void aFailingGroupBodyCancelsTheChildrenWithOriginSiblingFailure() {
        test.loop().spawn("main", () -> {
            TaskGroup g = TaskGroup.create("pair");
            try {
                g.run(() -> {
                    g.spawn("patient", () -> Async.sleep(Duration.ofHours(1)));
                    Async.sleep(Duration.ofSeconds(1));
                    throw new IllegalStateException("the body gave up");
                });
            } catch (TaskGroupException expected) {
                // the failure surfaces at the group's edge
            }
        });
        test.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(reasonOf("patient").origin()).isEqualTo(CancelOrigin.SIBLING_FAILURE);
    }

    @Test
    void aCancelledJoinerCancelsTheJoinedTaskWithOriginJoinerCancelledAndEndsWithItsOwnReason() {
        Task<?> main = test.loop().spawn("main", () -> {
            Task<?> target = Async.spawn("joined", () -> Async.sleep(Duration.ofHours(1)));
            target.join();
        });
        test.runCurrent();
        main.cancel("the caller gave up");
        test.runCurrent();

        assertThat(reasonOf("joined").origin()).isEqualTo(CancelOrigin.JOINER_CANCELLED);
        assertThat(reasonOf("main")).isEqualTo(CancelReason.application("the caller gave up"));
    }

    @Test
    void aCancelledGatherCancelsItsChildrenWithOriginJoinerCancelled() {
        Task<?> main = test.loop().spawn("main", () -> {
            Async.gather(Async.spawn("child-1", () -> Async.sleep(Duration.ofHours(1))),
                    Async.spawn("child-2", () -> Async.sleep(Duration.ofHours(1))));
        });
        test.runCurrent();
        main.cancel("the caller gave up");
        test.runCurrent();

        assertThat(reasonOf("child-1").origin()).isEqualTo(CancelOrigin.JOINER_CANCELLED);
        assertThat(reasonOf("child-2").origin()).isEqualTo(CancelOrigin.JOINER_CANCELLED);
    }

    @Test
    void aStreamClosedByItsConsumerCancelsItsProducerWithOriginStreamClosed() {
        test.loop().spawn("consumer", () -> {
            try (AsyncStream<Integer> numbers = AsyncStream.generate("numbers", out -> {
                for (int i = 0; ; i++) {
                    out.emit(i);
                }
            })) {
                for (int n : numbers) {
                    if (n == 2) {
                        break;
                    }
                }
            }
        });
        test.runCurrent();

        TaskSnapshot producer = recorder.all().stream().filter(t -> t.state() == Task.State.CANCELLED).findFirst().orElseThrow();
        assertThat(producer.cancelReason()).isEqualTo(CancelReason.of(CancelOrigin.STREAM_CLOSED, "stream 'numbers' was closed by its consumer"));
    }

    @Test
    void aTaskShedByAdmissionControlHasOriginAdmission() {
        try (TestLoop small = TestLoop.create(EventLoop.builder().name("small")
                .admission(new Admission(1, Duration.ZERO, Admission.Mode.SHED)))) {
            small.loop().spawn("first", () -> Async.sleep(Duration.ofHours(1)));
            Task<?> shed = small.loop().spawn("second", () -> Async.sleep(Duration.ofHours(1)));

            assertThat(shed.snapshot().cancelReason().origin()).isEqualTo(CancelOrigin.ADMISSION);
            assertThatThrownBy(shed::join).isInstanceOfSatisfying(CancelledException.class,
                    e -> assertThat(e.reason().origin()).isEqualTo(CancelOrigin.ADMISSION));
        }
    }

    @Test
    void aTaskCancelledWhenItsLoopShutsDownHasOriginShutdown() throws InterruptedException {
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

        assertThat(reasonOf("sleeper")).isEqualTo(CancelReason.of(CancelOrigin.SHUTDOWN, "event loop 'closing' is shutting down"));
    }

    @Test
    void anOriginsLabelIsLowerCaseWordsJoinedByDashesAndTheErrorSaysSo() {
        assertThat(CancelOrigin.of("sibling-failure")).isEqualTo(CancelOrigin.SIBLING_FAILURE);
        assertThat(CancelOrigin.of("x2")).hasToString("x2");
        for (String bad : List.of("", "Timeout", "two words", "-lead", "trail-", "double--dash")) {
            assertThatThrownBy(() -> CancelOrigin.of(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a cancellation origin's label must be lower-case letters and digits in words joined by '-' "
                            + "(such as 'timeout' or 'sibling-failure'), but it was '" + bad + "'");
        }
    }
}
