package dev.taskloop.core;

import static dev.taskloop.core.testing.VirtualTime.sleepMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** asyncio's {@code wait} (each {@code return_when}, with and without a timeout) and {@code as_completed(timeout=...)}, in virtual time. */
class WaitTest {

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();

    private static Task<String> endsAfter(int ms) {
        return Async.spawn("t" + ms, () -> {
            sleepMs(ms);
            return "t" + ms;
        });
    }

    private static Task<String> failsAfter(int ms) {
        return Async.spawn("fails" + ms, () -> {
            sleepMs(ms);
            throw new IllegalStateException("fails" + ms);
        });
    }

    private long now() {
        return test.currentTime().toMillis();
    }

    /* done, pending = await wait({t10, fails20, t30}); all three done at 30, the failure not raised */
    @Test
    void allCompletedReturnsWhenEveryTaskHasEndedWithoutRaisingTheirFailures() {
        test.run(() -> {
            Task<String> t10 = endsAfter(10);
            Task<String> f20 = failsAfter(20);
            Task<String> t30 = endsAfter(30);
            WaitResult<Task<String>> r = Async.wait(List.of(t30, f20, t10), ReturnWhen.ALL_COMPLETED);
            assertThat(now()).isEqualTo(30);
            assertThat(r.done()).containsExactly(t30, f20, t10); // in the order given
            assertThat(r.pending()).isEmpty();
            assertThat(f20.exception()).hasMessage("fails20");
            return null;
        });
    }

    @Test
    void firstCompletedReturnsAtTheFirstEndAndLeavesTheOthersRunning() {
        test.run(() -> {
            Task<String> t10 = endsAfter(10);
            Task<String> t20 = endsAfter(20);
            WaitResult<Task<String>> r = Async.wait(List.of(t20, t10), ReturnWhen.FIRST_COMPLETED);
            assertThat(now()).isEqualTo(10);
            assertThat(r.done()).containsExactly(t10);
            assertThat(r.pending()).containsExactly(t20);
            assertThat(t20.join()).isEqualTo("t20");
            return null;
        });
    }

    @Test
    void firstExceptionReturnsAtTheFirstFailureWithWhatEndedBeforeIt() {
        test.run(() -> {
            Task<String> t10 = endsAfter(10);
            Task<String> f20 = failsAfter(20);
            Task<String> t30 = endsAfter(30);
            WaitResult<Task<String>> r = Async.wait(List.of(t10, f20, t30), ReturnWhen.FIRST_EXCEPTION);
            assertThat(now()).isEqualTo(20);
            assertThat(r.done()).containsExactly(t10, f20);
            assertThat(r.pending()).containsExactly(t30);
            assertThat(f20.state()).isEqualTo(Task.State.FAILED);
            assertThat(f20.exception()).hasMessage("fails20");
            assertThat(t30.isDone()).isFalse();
            t30.join();
            return null;
        });
    }

    /* asyncio: FIRST_EXCEPTION skips cancelled futures; without a failure it is ALL_COMPLETED. */
    @Test
    void firstExceptionDoesNotCountACancelledTaskAndWithoutAFailureWaitsForAll() {
        test.run(() -> {
            Task<String> cancelled = endsAfter(100);
            Task<String> t20 = endsAfter(20);
            Async.spawn("canceller", () -> { sleepMs(10); cancelled.cancel(); });
            WaitResult<Task<String>> r = Async.wait(List.of(cancelled, t20), ReturnWhen.FIRST_EXCEPTION);
            assertThat(now()).isEqualTo(20);
            assertThat(r.done()).containsExactly(cancelled, t20);
            assertThat(cancelled.state()).isEqualTo(Task.State.CANCELLED);
            return null;
        });
    }

    /* asyncio.wait(timeout=...) does not raise: what is not done by then is pending, and keeps running. */
    @Test
    void aTimeoutReturnsWhatIsNotDoneAsPendingWithoutThrowingOrCancellingIt() {
        test.run(() -> {
            Task<String> t10 = endsAfter(10);
            Task<String> t30 = endsAfter(30);
            WaitResult<Task<String>> r = Async.wait(List.of(t10, t30), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(15));
            assertThat(now()).isEqualTo(15);
            assertThat(r.done()).containsExactly(t10);
            assertThat(r.pending()).containsExactly(t30);
            assertThat(t30.join()).isEqualTo("t30");
            assertThat(now()).isEqualTo(30);

            WaitResult<Task<String>> none = Async.wait(List.of(endsAfter(5)), ReturnWhen.FIRST_COMPLETED, Duration.ZERO);
            assertThat(now()).isEqualTo(30);
            assertThat(none.done()).isEmpty();
            assertThat(none.pending()).hasSize(1);
            return null;
        });
    }

    @Test
    void aTimeoutLongerThanTheWaitChangesNothing() {
        test.run(() -> {
            Task<String> t10 = endsAfter(10);
            WaitResult<Task<String>> r = Async.wait(List.of(t10), ReturnWhen.ALL_COMPLETED, Duration.ofMinutes(1));
            assertThat(now()).isEqualTo(10);
            assertThat(r.done()).containsExactly(t10);
            sleepMs(120_000); // the timer of the wait is gone: nothing wakes the task early
            assertThat(now()).isEqualTo(120_010);
            return null;
        });
    }

    @Test
    void aTaskGivenTwiceIsWaitedForOnce() {
        test.run(() -> {
            Task<String> t10 = endsAfter(10);
            WaitResult<Task<String>> r = Async.wait(List.of(t10, t10), ReturnWhen.ALL_COMPLETED);
            assertThat(r.done()).containsExactly(t10);
            return null;
        });
    }

    /* Cancelling a task in asyncio.wait cancels the wait only, never the tasks: pending or while it waits. */
    @Test
    void aCancelledWaitLeavesEveryTaskRunning() {
        test.run(() -> {
            Task<String> t50 = endsAfter(50);
            Task<Object> waiter = Async.spawn("waiter", () -> Async.wait(List.of(t50), ReturnWhen.ALL_COMPLETED));
            sleepMs(10);
            waiter.cancel();
            assertThatThrownBy(waiter::join).isInstanceOf(CancelledException.class);
            assertThat(now()).isEqualTo(10);

            CancelScope scope = CancelScope.create();
            scope.cancel();
            scope.run(() -> Async.wait(List.of(t50), ReturnWhen.FIRST_COMPLETED, Duration.ofSeconds(1)));
            assertThat(scope.cancelledCaught()).isTrue();
            assertThat(now()).isEqualTo(10);
            assertThat(t50.join()).isEqualTo("t50");
            return null;
        });
    }

    @Test
    void waitNeedsATaskAndANonNegativeTimeout() {
        test.run(() -> {
            assertThatThrownBy(() -> Async.wait(List.of(), ReturnWhen.ALL_COMPLETED)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Async.wait() needs at least one task, but got none");
            Task<String> t = endsAfter(1);
            assertThatThrownBy(() -> Async.wait(List.of(t), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Async.wait() timeout must not be negative");
            assertThatThrownBy(() -> Async.wait(List.of(t), null)).isInstanceOf(NullPointerException.class).hasMessage("returnWhen");
            t.join();
            return null;
        });
        assertThatThrownBy(() -> Async.wait(List.of(test.loop().spawn(() -> { })), ReturnWhen.ALL_COMPLETED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.wait() must be called from a Taskloop task");
    }

    /*
     * for aw in as_completed({t10, t20, t40, t50}, timeout=0.025): await aw
     * -> t10 at 10, t20 at 20, then TimeoutError at 25, once for each of the two not done; they run on.
     */
    @Test
    void asCompletedWithATimeoutReturnsWhatEndedInTimeThenThrowsOnceForEachTaskLeft() {
        test.run(() -> {
            List<Task<String>> tasks = List.of(endsAfter(40), endsAfter(10), endsAfter(50), endsAfter(20));
            Iterator<Task<String>> it = Async.asCompleted(tasks, Duration.ofMillis(25)).iterator();
            List<String> seen = new ArrayList<>();
            while (it.hasNext()) {
                try {
                    seen.add(it.next().result() + "@" + now());
                } catch (TimeoutExpiredException e) {
                    seen.add(e.getMessage() + " @" + now());
                }
            }
            assertThat(seen).containsExactly("t10@10", "t20@20",
                    "Async.asCompleted(): 2 of 4 task(s) did not end within 25 ms @25",
                    "Async.asCompleted(): 2 of 4 task(s) did not end within 25 ms @25");
            assertThat(tasks.get(0).isDone()).isFalse();
            assertThat(Async.gather(tasks)).containsExactly("t40", "t10", "t50", "t20"); // not cancelled
            assertThat(now()).isEqualTo(50);
            return null;
        });
    }

    /* The deadline counts from the call; what ended by then is returned even if asked for later, what ended after is not. */
    @Test
    void asCompletedReturnsWhatEndedByTheDeadlineEvenIfAskedLaterButNothingThatEndedAfterIt() {
        test.run(() -> {
            Task<String> t10 = endsAfter(10);
            Task<String> t28 = endsAfter(28);
            Iterator<Task<String>> it = Async.asCompleted(List.of(t28, t10), Duration.ofMillis(25)).iterator();
            sleepMs(30); // both have ended now, t28 after the deadline
            assertThat(it.next()).isSameAs(t10);
            assertThatThrownBy(it::next).isInstanceOf(TimeoutExpiredException.class);
            assertThat(it.hasNext()).isFalse();
            assertThat(t28.result()).isEqualTo("t28");
            return null;
        });
    }

    @Test
    void asCompletedWithAZeroTimeoutReturnsOnlyTheTasksAlreadyEnded() {
        test.run(() -> {
            Task<String> t1 = endsAfter(1);
            sleepMs(2);
            Task<String> t10 = endsAfter(10);
            Iterator<Task<String>> it = Async.asCompleted(List.of(t10, t1), Duration.ZERO).iterator();
            assertThat(it.next()).isSameAs(t1);
            assertThatThrownBy(it::next).isInstanceOf(TimeoutExpiredException.class);
            assertThat(now()).isEqualTo(2);
            t10.join();
            return null;
        });
    }

    @Test
    void asCompletedWithATimeoutNobodyReachesBehavesAsWithout() {
        test.run(() -> {
            List<String> seen = new ArrayList<>();
            for (Task<String> t : Async.asCompleted(List.of(endsAfter(20), endsAfter(10)), Duration.ofHours(1))) {
                seen.add(t.result() + "@" + now());
            }
            assertThat(seen).containsExactly("t10@10", "t20@20");
            return null;
        });
        assertThatThrownBy(() -> Async.asCompleted(List.of(), Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Async.asCompleted() timeout must not be negative");
    }
}
