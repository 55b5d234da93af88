package dev.taskloop.core.sync;

import static dev.taskloop.core.testing.VirtualTime.sleepMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.Task;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventConditionBarrierTest {

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();

    // ------------------------------------------------------------------ Event

    @Test
    void settingAnEventWakesEveryWaiterAndLaterWaitsReturnAtOnce() {
        Event e = new Event("ready");
        List<Task<Void>> ts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ts.add(test.loop().spawn("w" + i, e::await));
        }
        test.runCurrent();
        assertThat(ts).allMatch(t -> t.state() == Task.State.ASLEEP);
        assertThat(ts.get(0).snapshot().awaiting().toString()).isEqualTo("event ready");

        e.set(); // from a thread that is not a task
        test.runCurrent();
        assertThat(ts).allMatch(t -> t.state() == Task.State.COMPLETED);
        Task<Void> late = test.loop().spawn("late", e::await);
        test.runCurrent();
        assertThat(late.state()).isEqualTo(Task.State.COMPLETED);
    }

    @Test
    void waitersWokenBySetReturnEvenIfTheEventIsClearedBeforeTheyRun() {
        Event e = new Event("e");
        Task<Void> w = test.loop().spawn("w", e::await);
        test.runCurrent();
        test.loop().spawn("flip", () -> {
            e.set();
            e.clear();
        });
        test.runCurrent();
        assertThat(w.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(e.isSet()).isFalse();
    }

    @Test
    void aCancelledEventWaiterLeavesTheWaitQueue() {
        Event e = new Event("e");
        Task<Void> w = test.loop().spawn("w", e::await);
        test.runCurrent();
        w.cancel();
        test.runCurrent();
        assertThat(w.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(e.waiting()).isZero();
    }

    // ------------------------------------------------------------------ Condition

    @Test
    void aConditionHandsItemsFromAProducerToConsumersWaitingForAPredicate() {
        Condition c = new Condition("nonEmpty");
        ArrayDeque<Integer> buffer = new ArrayDeque<>();
        List<String> got = new ArrayList<>();
        test.run(() -> {
            List<Task<Void>> consumers = new ArrayList<>();
            for (String n : List.of("a", "b")) {
                consumers.add(Async.spawn(n, () -> {
                    for (int k = 0; k < 2; k++) {
                        int v = c.withLock(() -> {
                            c.awaitUntil(() -> !buffer.isEmpty());
                            return buffer.removeFirst();
                        });
                        got.add(n + v);
                    }
                }));
            }
            for (int i = 1; i <= 4; i++) {
                sleepMs(1);
                int item = i;
                c.withLock(() -> {
                    buffer.add(item);
                    return c.signal();
                });
            }
            Async.gather(consumers);
            return null;
        });
        assertThat(got).containsExactly("a1", "b2", "a3", "b4");
    }

    @Test
    void withLockRunsABodyWithoutAResultHoldingTheLock() {
        Condition c = new Condition("ready");
        boolean[] ready = {false};
        List<String> trace = new ArrayList<>();
        test.run(() -> {
            Task<Void> waiter = Async.spawn("waiter", () -> c.withLock(() -> {
                c.awaitUntil(() -> ready[0]);
                trace.add("waiter saw ready, holding " + c.lock().isLocked());
            }));
            sleepMs(1);
            c.withLock(() -> {
                ready[0] = true;
                c.signalAll();
            });
            waiter.join();
            return null;
        });
        assertThat(trace).containsExactly("waiter saw ready, holding true");
        assertThat(c.lock().isLocked()).isFalse();
    }

    @Test
    void awaitingOrSignallingWithoutHoldingTheLockFailsClearly() {
        Condition c = new Condition("c");
        Task<Void> t = test.loop().spawn("t", c::await);
        test.runCurrent();
        assertThat(t.exception()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("condition 'c': await() requires its lock 'c.lock' to be held by the caller, but it is not locked");
        assertThatThrownBy(() -> c.signal(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");
    }

    @Test
    void aCancelledConditionWaiterHoldsTheLockAgainWhenItsCancellationPropagates() {
        Condition c = new Condition("c");
        List<String> trace = new ArrayList<>();
        Task<Void> w = test.loop().spawn("w", () -> {
            c.acquire();
            try {
                c.await();
            } catch (CancelledException e) {
                trace.add("cancelled, holding the lock: " + c.lock().isHeldByCurrentTask());
                throw e;
            } finally {
                c.release();
            }
        });
        Task<Void> holder = test.loop().spawn("holder", () -> {
            sleepMs(1);
            c.acquire();
            w.cancel();
            sleepMs(5); // w must wait for the lock, shielded, until this task lets go
            trace.add("holder releases");
            c.release();
        });
        test.advanceUntilIdle();
        assertThat(trace).containsExactly("holder releases", "cancelled, holding the lock: true");
        assertThat(w.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(holder.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(c.lock().isLocked()).isFalse();
    }

    // ------------------------------------------------------------------ Barrier

    @Test
    void aBarrierLetsItsPartiesThroughTogetherWithTheirArrivalIndexAndIsReusable() {
        Barrier b = new Barrier("b", 3);
        List<String> trace = new ArrayList<>();
        test.run(() -> {
            List<Task<Void>> ts = new ArrayList<>();
            for (String n : List.of("a", "b", "c")) {
                ts.add(Async.spawn(n, () -> {
                    for (int round = 0; round < 2; round++) {
                        int i = b.await();
                        trace.add(round + n + i);
                    }
                }));
                sleepMs(1);
            }
            Async.gather(ts);
            return null;
        });
        // round 1 arrivals: c (it did not wait), then a, then b, which trips it
        assertThat(trace).containsExactly("0c2", "0a0", "0b1", "1b2", "1c0", "1a1");
    }

    @Test
    void aTaskCancelledWhileWaitingLeavesTheBarrierWhichWaitsForAnotherArrival() {
        Barrier b = new Barrier("b", 2);
        Task<Integer> quitter = test.loop().spawn("quitter", b::await);
        test.runCurrent();
        quitter.cancel();
        test.runCurrent();
        assertThat(b.waiting()).isZero();
        Task<Integer> x = test.loop().spawn("x", b::await);
        test.runCurrent();
        assertThat(x.state()).isEqualTo(Task.State.ASLEEP);
        Task<Integer> y = test.loop().spawn("y", b::await);
        test.runCurrent();
        assertThat(x.result()).isZero();
        assertThat(y.result()).isEqualTo(1);
    }

    @Test
    void anAbortedBarrierFailsItsWaitersAndLaterArrivalsUntilItIsReset() {
        Barrier b = new Barrier("b", 3);
        Task<Integer> w = test.loop().spawn("w", b::await);
        test.runCurrent();
        b.abort();
        test.runCurrent();
        assertThat(w.exception()).isInstanceOf(BrokenBarrierException.class)
                .hasMessageContaining("barrier 'b' (3 parties) was broken while this task waited");
        Task<Integer> late = test.loop().spawn("late", b::await);
        test.runCurrent();
        assertThat(late.exception()).isInstanceOf(BrokenBarrierException.class).hasMessageContaining("is broken");
        b.reset();
        assertThat(b.isBroken()).isFalse();
        assertThatThrownBy(() -> new Barrier("z", 0)).hasMessage("barrier 'z' needs at least 1 party, but got 0");
    }
}
