package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.testing.SwallowedCancellations;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cancelling a deep scope tree: each level is a task running a task group whose one child runs the
 * next level. The cancellation check of an await point reads one field (the scope's effective
 * cancellation), so cancelling the root of n levels costs O(n), not O(n²); shields still stop it.
 */
class DeepCancellationTest {

    private static final int DEPTH = 10_000;

    private final SwallowedCancellations swallowed = new SwallowedCancellations();
    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create().listener(swallowed).quiescenceTimeout(Duration.ofSeconds(60));

    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finallies = new AtomicInteger();
    private final AtomicInteger leavesCancelled = new AtomicInteger();

    private void level(int i, int depth, int shieldAt) {
        started.incrementAndGet();
        try {
            if (i == depth) {
                try {
                    Async.sleep(Duration.ofDays(365));
                } catch (CancelledException c) {
                    leavesCancelled.incrementAndGet();
                    throw c;
                }
                return;
            }
            TaskGroup g = TaskGroup.create("level-" + i);
            AsyncRunnable<RuntimeException> body = () -> g.run(() -> g.spawn("level-" + (i + 1), () -> level(i + 1, depth, shieldAt)));
            if (i == shieldAt) {
                CancelScope.shielded().run(body);
            } else {
                body.run();
            }
        } finally {
            finallies.incrementAndGet();
        }
    }

    @Test
    void tenThousandNestedTaskGroupsCancelledAtTheRootAllEndWithTheirFinallyRun() {
        Task<Void> root = test.loop().spawn("level-0", () -> level(0, DEPTH, -1));
        test.runCurrent();
        assertThat(started).hasValue(DEPTH + 1);
        assertThat(test.loop().snapshot().liveTasks()).isEqualTo(DEPTH + 1);

        root.cancel("stop the whole tree");
        test.runCurrent(); // bounded: fails with the busy tasks' stacks if the tree has not ended within 60 s

        assertThat(root.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(finallies).hasValue(DEPTH + 1);
        assertThat(leavesCancelled).hasValue(1);
        assertThat(test.loop().snapshot().liveTasks()).isZero();
        assertThat(test.currentTime()).isEqualTo(Duration.ZERO);
        assertThat(swallowed.all()).isEmpty();
    }

    @Test
    void aShieldHalfWayDownStopsTheCancellationOfTheRootAndTheLevelsBelowItRunOn() {
        int depth = 100;
        Task<Void> root = test.loop().spawn("level-0", () -> level(0, depth, 50));
        test.runCurrent();
        root.cancel("stop above the shield");
        test.runCurrent();

        assertThat(root.isDone()).isFalse(); // level 50 waits, shielded, for its group of levels 51..100
        assertThat(finallies).hasValue(0);
        assertThat(leavesCancelled).hasValue(0);
        assertThat(root.isCancelRequested()).isTrue();
        Task<?> below = test.loop().tasks().stream().filter(t -> t.name().equals("level-75")).findFirst().orElseThrow();
        assertThat(below.isCancelRequested()).isFalse();

        below.cancel("now the part below the shield");
        test.runCurrent();
        assertThat(root.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(finallies).hasValue(depth + 1);
        assertThat(test.loop().snapshot().liveTasks()).isZero();
    }

    @Test
    void aCancellationFromAnotherThreadIsSeenByTheVeryNextAwaitPointBeforeTheLoopPushedItDown() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        AtomicInteger passed = new AtomicInteger();
        Task<Void> holder = test.loop().spawn("holder", () -> {
            holding.countDown();
            assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue(); // keeps the baton: the loop's push-down callback cannot run before our next await
            try {
                Async.yieldNow();
                passed.incrementAndGet();
            } finally {
                finallies.incrementAndGet();
            }
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        holder.cancel("from the test thread");
        assertThat(holder.isCancelRequested()).isTrue();
        cancelled.countDown();
        test.runCurrent();
        assertThat(holder.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(passed).hasValue(0);
        assertThat(finallies).hasValue(1);
    }
}
