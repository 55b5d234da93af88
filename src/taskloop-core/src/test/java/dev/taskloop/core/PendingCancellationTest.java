package dev.taskloop.core;

import static dev.taskloop.core.testing.VirtualTime.sleepMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.testing.SwallowedCancellations;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cancellation that is already pending when an await point is entered is passed on exactly as
 * one that arrives while it waits (asyncio's {@code Task.__step} cancels the future the task is
 * about to await, then waits for it): {@code join}, {@code gather}, {@code gatherSettled} and
 * {@code await} cancel what they would have waited for, and {@code join} and {@code gather} wait
 * until it has ended, before the caller's own cancellation surfaces. Virtual time throughout.
 */
class PendingCancellationTest {

    private final SwallowedCancellations swallowed = new SwallowedCancellations();
    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create().listener(swallowed);
    private final List<String> trace = new CopyOnWriteArrayList<>();

    @AfterEach
    void everyCancellationReachedItsEdge() {
        assertThat(swallowed.all()).isEmpty();
    }

    /**
     * Runs {@code body} in a cancel scope that is cancelled before it is entered, so that the body
     * starts with a cancellation pending; records when the cancellation reaches the scope's edge.
     */
    private void withCancellationPending(AsyncRunnable<?> body) throws Exception {
        CancelScope scope = CancelScope.create();
        scope.cancel("pending");
        scope.run(() -> {
            try {
                body.run();
            } catch (CancelledException c) {
                trace.add("cancelled at " + test.currentTime().toMillis());
                throw c;
            }
            trace.add("unreached: the body must throw its cancellation");
        });
        assertThat(scope.cancelledCaught()).isTrue();
    }

    /**
     * A child, started and asleep for a minute when this returns (a task cancelled before it starts
     * never runs, as in asyncio), that once cancelled cleans up for 5 ms (shielded) before it ends.
     */
    private Task<String> slowChild(String name) {
        Task<String> child = Async.spawn(name, () -> {
            try {
                sleepMs(60_000);
                return "finished";
            } finally {
                CancelScope.shielded().run(() -> sleepMs(5));
                trace.add(name + " cleaned up at " + test.currentTime().toMillis());
            }
        });
        Async.yieldNow();
        assertThat(child.state()).isEqualTo(Task.State.ASLEEP);
        return child;
    }

    /*
     * async def parent():
     *     child = create_task(slow_child())
     *     current_task().cancel()           # pending: delivered at the next await
     *     await child                        # cancels child, waits for its finally, then raises
     */
    @Test
    void aTaskCancelledBeforeItJoinsAChildCancelsTheChildAndWaitsForItsCleanup() {
        test.run(() -> {
            Task<?>[] child = new Task<?>[1];
            Task<Void> parent = Async.spawn("parent", () -> {
                child[0] = slowChild("child");
                Task.current().cancel("parent cancelled itself");
                try {
                    child[0].join();
                } catch (CancelledException c) {
                    trace.add("parent caught its own cancellation at " + test.currentTime().toMillis() + ": " + c.getMessage());
                    assertThat(child[0].state()).isEqualTo(Task.State.CANCELLED);
                    throw c;
                }
            });
            assertThatThrownBy(parent::join).isInstanceOf(CancelledException.class);
            assertThat(child[0].state()).isEqualTo(Task.State.CANCELLED);
            assertThat(child[0].snapshot().cancelReason().origin()).isEqualTo(CancelOrigin.JOINER_CANCELLED);
            return null;
        });
        assertThat(trace).containsExactly("child cleaned up at 5",
                "parent caught its own cancellation at 5: task 'parent' was cancelled: parent cancelled itself");
    }

    /* The level-triggered way to meet it: a cancelled task joins its worker in a finally block. */
    @Test
    void joiningAWorkerInTheFinallyOfACancelledTaskCancelsTheWorkerAndWaitsForIt() {
        test.run(() -> {
            Task<?>[] worker = new Task<?>[1];
            Task<Void> boss = Async.spawn("boss", () -> {
                worker[0] = slowChild("worker");
                try {
                    sleepMs(60_000);
                } finally {
                    worker[0].join(); // the boss is cancelled: this passes the cancellation on, waits, then throws again
                    trace.add("unreached: the join throws the boss's cancellation");
                }
            });
            sleepMs(10);
            boss.cancel("stop");
            assertThatThrownBy(boss::join).isInstanceOf(CancelledException.class).hasMessageContaining("stop");
            assertThat(worker[0].state()).isEqualTo(Task.State.CANCELLED);
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(15));
            return null;
        });
        assertThat(trace).containsExactly("worker cleaned up at 15");
    }

    /* asyncio.wait_for(task, 0): cancels the task, waits for it to end, raises TimeoutError. */
    @Test
    void aZeroTimeoutAroundAJoinCancelsTheJoinedTaskWaitsForItThenTimesOut() {
        test.run(() -> {
            Task<String> child = slowChild("child");
            try {
                Async.withTimeout(Duration.ZERO, child::join);
            } catch (TimeoutExpiredException e) {
                trace.add("timed out at " + test.currentTime().toMillis() + ": " + e.getMessage());
            }
            assertThat(child.state()).isEqualTo(Task.State.CANCELLED);
            return null;
        });
        assertThat(trace).containsExactly("child cleaned up at 5", "timed out at 5: timeout of 0 ns expired");
    }

    @Test
    void aTimeoutWhoseDeadlineHasAlreadyPassedCancelsTheJoinedTaskAndWaitsForIt() {
        test.run(() -> {
            Task<String> child = slowChild("child");
            sleepMs(20);
            Timeout expired = Timeout.at(test.loop().time() - Duration.ofMillis(10).toNanos());
            assertThatThrownBy(() -> expired.call(child::join)).isInstanceOf(TimeoutExpiredException.class)
                    .hasCauseInstanceOf(CancelledException.class);
            assertThat(expired.expired()).isTrue();
            assertThat(child.state()).isEqualTo(Task.State.CANCELLED);
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(25));
            return null;
        });
        assertThat(trace).containsExactly("child cleaned up at 25");
    }

    @Test
    void joinWithATimeoutPassesAPendingCancellationOnToo() {
        test.run(() -> {
            Task<String> child = slowChild("child");
            withCancellationPending(() -> child.join(Duration.ofSeconds(1)));
            assertThat(child.state()).isEqualTo(Task.State.CANCELLED);
            return null;
        });
        assertThat(trace).containsExactly("child cleaned up at 5", "cancelled at 5");
    }

    @Test
    void aGatherCalledWithACancellationPendingCancelsEveryChildAndWaitsForThemAll() {
        test.run(() -> {
            Task<String> a = slowChild("a");
            Task<String> b = slowChild("b");
            withCancellationPending(() -> Async.gather(a, b));
            assertThat(List.of(a, b)).allMatch(t -> t.state() == Task.State.CANCELLED);
            return null;
        });
        assertThat(trace).containsExactly("a cleaned up at 5", "b cleaned up at 5", "cancelled at 5");
    }

    @Test
    void gatherSettledCalledWithACancellationPendingCancelsEveryChildAndWaitsForThemAll() {
        test.run(() -> {
            Task<String> a = slowChild("a");
            withCancellationPending(() -> Async.gatherSettled(List.of(a)));
            assertThat(a.state()).isEqualTo(Task.State.CANCELLED);
            return null;
        });
        assertThat(trace).containsExactly("a cleaned up at 5", "cancelled at 5");
    }

    @Test
    void awaitingAFutureWithACancellationPendingCancelsTheFuture() {
        CompletableFuture<String> future = new CompletableFuture<>();
        test.run(() -> {
            withCancellationPending(() -> Async.await(future));
            return null;
        });
        assertThat(future).isCancelled();
        assertThat(trace).containsExactly("cancelled at 0");
    }

    @Test
    void awaitingTheFutureViewOfATaskWithACancellationPendingCancelsTheTaskAndWaitsForIt() {
        test.run(() -> {
            Task<String> child = slowChild("child");
            withCancellationPending(() -> Async.await(child.toCompletableFuture()));
            assertThat(child.state()).isEqualTo(Task.State.CANCELLED);
            assertThat(child.toCompletableFuture()).isCancelled();
            return null;
        });
        assertThat(trace).containsExactly("child cleaned up at 5", "cancelled at 5");
    }

    @Test
    void aShieldedJoinWithACancellationPendingThrowsAtOnceAndTheTaskRunsOn() {
        test.run(() -> {
            Task<String> work = Async.spawn("work", () -> { sleepMs(50); return "done"; });
            withCancellationPending(() -> Async.shield(work));
            assertThat(work.isDone()).isFalse();
            assertThat(work.join()).isEqualTo("done");
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(50));
            return null;
        });
        assertThat(trace).containsExactly("cancelled at 0");
    }

    @Test
    void aShieldedScopeKeepsAPendingCancellationAwayFromTheJoinInside() {
        test.run(() -> {
            Task<String> work = Async.spawn("work", () -> { sleepMs(50); return "done"; });
            withCancellationPending(() -> {
                String r = CancelScope.shielded().call(work::join);
                assertThat(r).isEqualTo("done");
                Async.yieldNow(); // outside the shield again: the pending cancellation applies
            });
            assertThat(work.state()).isEqualTo(Task.State.COMPLETED);
            return null;
        });
        assertThat(trace).containsExactly("cancelled at 50");
    }

    @Test
    void joiningATaskThatHasAlreadyEndedReturnsItsResultEvenWithACancellationPending() {
        test.run(() -> {
            Task<String> quick = Async.spawn("quick", () -> "ok");
            sleepMs(1);
            withCancellationPending(() -> {
                assertThat(quick.join()).isEqualTo("ok"); // nothing to wait for: asyncio's await of a done task does not suspend
                Async.yieldNow();
            });
            return null;
        });
        assertThat(trace).containsExactly("cancelled at 1");
    }
}
