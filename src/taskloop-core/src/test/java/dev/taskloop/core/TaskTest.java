package dev.taskloop.core;

import static dev.taskloop.core.testing.VirtualTime.sleepMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The task handle: outcomes, done callbacks, the future view, and the multi-task waits. */
class TaskTest {

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();

    @Test
    void resultAndExceptionDescribeEachOutcomeWithoutWaiting() {
        Task<String> ok = test.loop().spawn("ok", () -> "value");
        Task<String> bad = test.loop().spawn("bad", () -> { throw new IOException("io"); });
        Task<String> pending = test.loop().spawn("pending", () -> { sleepMs(1000); return "late"; });
        test.runCurrent();

        assertThat(ok.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(ok.result()).isEqualTo("value");
        assertThat(ok.exception()).isNull();

        assertThat(bad.state()).isEqualTo(Task.State.FAILED);
        assertThat(bad.exception()).isInstanceOf(IOException.class);
        assertThatThrownBy(bad::result).isInstanceOf(TaskFailedException.class)
                .hasCauseInstanceOf(IOException.class).hasMessageContaining("'bad'");

        assertThatThrownBy(pending::result).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has not ended yet").hasMessageContaining("ASLEEP");
        pending.cancel("no longer needed");
        test.runCurrent();
        assertThat(pending.state()).isEqualTo(Task.State.CANCELLED);
        assertThatThrownBy(pending::exception).isInstanceOf(CancelledException.class).hasMessageContaining("no longer needed");
    }

    @Test
    void doneCallbacksRunOnTheLoopInRegistrationOrderOutsideAnyTask() {
        List<String> trace = new CopyOnWriteArrayList<>();
        Task<Integer> t = test.loop().spawn("t", () -> { sleepMs(10); return 7; });
        t.onDone(x -> trace.add("first " + x.result() + " current=" + Task.current()));
        t.onDone(x -> trace.add("second"));
        test.advanceTimeBy(Duration.ofMillis(10));
        t.onDone(x -> trace.add("late registration runs too"));
        test.runCurrent();
        assertThat(trace).containsExactly("first 7 current=null", "second", "late registration runs too");
    }

    @Test
    void theFutureViewCompletesWithTheOutcomeAndCancellingItCancelsTheTask() throws Exception {
        Task<String> ok = test.loop().spawn("ok", () -> { sleepMs(5); return "v"; });
        Task<String> bad = test.loop().spawn("bad", () -> { throw new IllegalStateException("x"); });
        Task<String> slow = test.loop().spawn("slow", () -> { sleepMs(1000); return "never"; });
        CompletableFuture<String> fOk = ok.toCompletableFuture();
        CompletableFuture<String> fBad = bad.toCompletableFuture();
        CompletableFuture<String> fSlow = slow.toCompletableFuture();
        test.advanceTimeBy(Duration.ofMillis(5));

        assertThat(fOk.get(10, TimeUnit.SECONDS)).isEqualTo("v");
        assertThatThrownBy(() -> fBad.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(fSlow.cancel(true)).isTrue();
        test.runCurrent();
        assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
    }

    @Test
    void aTaskOnAnotherThreadCanBeSpawnedAndJoinedFromOutsideTheLoop() {
        try (EventLoop loop = EventLoop.create()) {
            Task<String> t = loop.spawn("remote", () -> {
                Async.sleep(Duration.ofMillis(5));
                return Thread.currentThread().isVirtual() + " " + Task.current().name() + " " + EventLoop.current().name();
            });
            assertThat(t.join()).isEqualTo("true remote " + loop.name());
            assertThat(Task.current()).isNull();
        }
    }

    @Test
    void awaitingACompletionStageReleasesTheBatonAndReturnsItsValueOrFailure() {
        CompletableFuture<String> later = new CompletableFuture<>();
        CompletableFuture<String> failing = new CompletableFuture<>();
        List<String> trace = new CopyOnWriteArrayList<>();
        Task<String> t = test.loop().spawn("awaiter", () -> Async.await(later));
        Task<String> f = test.loop().spawn("failer", () -> Async.await(failing));
        test.loop().spawn("other", () -> trace.add("ran while awaiting"));
        test.runCurrent();
        assertThat(t.state()).isEqualTo(Task.State.ASLEEP);
        assertThat(t.snapshot().awaiting().kind()).isEqualTo("future");
        assertThat(trace).containsExactly("ran while awaiting");

        later.complete("from elsewhere");
        failing.completeExceptionally(new IOException("remote failed"));
        assertThat(t.join()).isEqualTo("from elsewhere");
        assertThatThrownBy(f::join).isInstanceOf(TaskFailedException.class)
                .hasCauseInstanceOf(CompletionException.class).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void cancellingATaskThatAwaitsAFutureCancelsTheFuture() {
        CompletableFuture<String> never = new CompletableFuture<>();
        Task<String> t = test.loop().spawn("awaiter", () -> Async.await(never));
        test.runCurrent();
        t.cancel();
        test.runCurrent();
        assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(never.isCancelled()).isTrue();
    }

    @Test
    void gatherSettledReturnsEveryTaskDoneWhateverTheOutcome() {
        test.run(() -> {
            Task<String> a = Async.spawn("a", () -> { sleepMs(10); return "a"; });
            Task<String> b = Async.spawn("b", () -> { sleepMs(5); throw new IOException("b"); });
            Task<String> c = Async.spawn("c", () -> { sleepMs(1); Async.sleep(Duration.ofDays(1)); return "c"; });
            Async.spawn("canceller", () -> { sleepMs(2); c.cancel(); });
            List<Task<String>> done = Async.gatherSettled(List.of(a, b, c));
            assertThat(done).containsExactly(a, b, c);
            assertThat(done).extracting(Task::state)
                    .containsExactly(Task.State.COMPLETED, Task.State.FAILED, Task.State.CANCELLED);
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(10));
            return null;
        });
    }

    @Test
    void waitFirstReturnsTheFirstTaskToEndAndLeavesTheOthersRunning() {
        test.run(() -> {
            Task<String> slow = Async.spawn("slow", () -> { sleepMs(30); return "slow"; });
            Task<String> fast = Async.spawn("fast", () -> { sleepMs(10); return "fast"; });
            assertThat(Async.waitFirst(List.of(slow, fast))).isSameAs(fast);
            assertThat(slow.isDone()).isFalse();
            assertThat(Async.waitFirst(List.of(slow, fast))).isSameAs(fast);
            slow.join();
            return null;
        });
    }

    @Test
    void asCompletedYieldsTasksInTheOrderTheyEnd() {
        List<String> order = test.run(() -> {
            List<Task<String>> tasks = new ArrayList<>();
            for (int ms : new int[] {30, 10, 20}) {
                tasks.add(Async.spawn("t" + ms, () -> { sleepMs(ms); return "t" + ms; }));
            }
            List<String> seen = new ArrayList<>();
            for (Task<String> t : Async.asCompleted(tasks)) {
                seen.add(t.result() + "@" + test.currentTime().toMillis());
            }
            return seen;
        });
        assertThat(order).containsExactly("t10@10", "t20@20", "t30@30");
    }

    @Test
    void aFutureThatWasCancelledEndsTheAwaitingTaskCancelled() {
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        Task<String> t = test.loop().spawn("t", () -> Async.await(cancelled));
        test.runCurrent();
        assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
        assertThatThrownBy(t::join).isInstanceOf(CancellationException.class);
    }
}
