package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.core.testing.Blocking;
import dev.taskloop.core.testing.TestLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The loop itself: callbacks and their handles, listeners, and orderly shutdown. */
class LoopTest {

    @Test
    void callbacksTakeTheirTurnInTheReadyQueueWithTasks() {
        List<String> trace = new CopyOnWriteArrayList<>();
        try (TestLoop test = TestLoop.create()) {
            test.run(() -> {
                Async.spawn("task", () -> trace.add("task"));
                test.loop().callSoon(() -> trace.add("callback"));
                Async.spawn("task2", () -> trace.add("task2"));
                trace.add("main yields");
                Async.yieldNow();
                trace.add("main resumed");
                return null;
            });
        }
        assertThat(trace).containsExactly("main yields", "task", "callback", "task2", "main resumed");
    }

    @Test
    void timedCallbacksFireAtTheirDeadlineAndACancelledOneNever() {
        List<String> trace = new CopyOnWriteArrayList<>();
        try (TestLoop test = TestLoop.create()) {
            EventLoop loop = test.loop();
            loop.callLater(Duration.ofMillis(20), () -> trace.add("later@" + test.currentTime().toMillis()));
            Handle h = loop.callLater(Duration.ofMillis(10), () -> trace.add("cancelled"));
            loop.callAt(loop.time() + 5_000_000, () -> trace.add("at@" + test.currentTime().toMillis()));
            assertThat(h.when()).isEqualTo(loop.time() + 10_000_000);
            assertThat(h.cancel()).isTrue();
            assertThat(h.isCancelled()).isTrue();
            assertThat(h.cancel()).isFalse();
            test.advanceTimeBy(Duration.ofMillis(19));
            assertThat(trace).containsExactly("at@5");
            test.advanceTimeBy(Duration.ofMillis(1));
            assertThat(trace).containsExactly("at@5", "later@20");
        }
    }

    @Test
    void aCallbackThatThrowsIsReportedAndTheLoopGoesOn() {
        List<String> failures = new CopyOnWriteArrayList<>();
        try (TestLoop test = TestLoop.create().listener(new LoopListener() {
            @Override
            public void callbackFailed(String callback, Throwable failure) {
                failures.add(failure.getMessage());
            }
        })) {
            test.loop().callSoon(() -> { throw new IllegalStateException("callback bug"); });
            Task<String> after = test.loop().spawn("after", () -> "still running");
            test.runCurrent();
            assertThat(after.result()).isEqualTo("still running");
            assertThat(failures).containsExactly("callback bug");
        }
    }

    @Test
    void listenersHearOfEveryTaskSpawnedAndEnded() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (TestLoop test = TestLoop.create().listener(new LoopListener() {
            @Override
            public void taskSpawned(Task<?> task) {
                events.add("spawned " + task.name());
            }

            @Override
            public void taskEnded(TaskSnapshot task) {
                events.add("ended " + task.name() + " " + task.state());
            }
        })) {
            test.run(() -> {
                Async.spawn("one", () -> { });
                Async.spawn("two", () -> { throw new IllegalStateException(); }).onDone(t -> { });
                return null;
            });
            test.runCurrent();
        }
        assertThat(events).containsExactly("spawned main", "spawned one", "spawned two", "ended main COMPLETED",
                "ended one COMPLETED", "ended two FAILED");
    }

    @Test
    void closeCancelsEveryTaskAndLetsItsCleanupRun() {
        List<String> trace = new CopyOnWriteArrayList<>();
        EventLoop loop = EventLoop.create();
        CountDownLatch started = new CountDownLatch(2);
        for (String name : List.of("a", "b")) {
            loop.spawn(name, () -> {
                try {
                    started.countDown();
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    CancelScope.shielded().run(() -> Async.sleep(Duration.ofMillis(1)));
                    trace.add(name + " cleaned up");
                }
            });
        }
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        List<TaskSnapshot> stragglers = loop.shutdown(Duration.ofSeconds(10));
        assertThat(stragglers).isEmpty();
        assertThat(trace).containsExactlyInAnyOrder("a cleaned up", "b cleaned up");
        assertThat(loop.isClosed()).isTrue();
        assertThat(loop.tasks()).isEmpty();
        assertThatThrownBy(() -> loop.spawn("late", () -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("closed").hasMessageContaining("'late'");
    }

    @Test
    void aTaskThatDoesNotEndWithinTheShutdownTimeoutIsInterruptedAndReportedByName() throws Exception {
        AtomicReference<List<TaskSnapshot>> reported = new AtomicReference<>();
        EventLoop loop = EventLoop.builder().name("stubborn-loop").listener(new LoopListener() {
            @Override
            public void shutdownStragglers(String l, List<TaskSnapshot> stragglers) {
                reported.set(stragglers);
            }
        }).build();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        loop.spawn("blocker", () -> {
            started.countDown();
            try {
                Blocking.sleep(Duration.ofMinutes(5)); // blocks the loop on purpose: cancellation cannot reach it
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        List<TaskSnapshot> stragglers = loop.shutdown(Duration.ofMillis(200));
        assertThat(stragglers).extracting(TaskSnapshot::name).containsExactly("blocker");
        assertThat(reported.get()).isEqualTo(stragglers);
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLoopCannotBeClosedFromItsOwnTask() {
        try (EventLoop loop = EventLoop.create()) {
            Task<Void> t = loop.spawn("closer", loop::close);
            assertThatThrownBy(t::join).isInstanceOf(TaskFailedException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be closed from its own task");
        }
    }

    @Test
    void closeIsIdempotent() {
        EventLoop loop = EventLoop.create();
        loop.close();
        loop.close();
        assertThat(loop.shutdown(Duration.ZERO)).isEmpty();
    }

    @Test
    void theSnapshotShowsTheReadyQueueAndTheTaskHoldingTheBaton() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("snap").build()) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.spawn("holder", () -> {
                holding.countDown();
                release.await(); // blocks while holding the baton, on purpose
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            loop.spawn("queued1", () -> { });
            loop.spawn("queued2", () -> { });
            var s = loop.snapshot();
            assertThat(s.name()).isEqualTo("snap");
            assertThat(s.holderName()).isEqualTo("holder");
            assertThat(s.readyDepth()).isEqualTo(2);
            assertThat(s.liveTasks()).isEqualTo(3);
            release.countDown();
        }
    }
}
