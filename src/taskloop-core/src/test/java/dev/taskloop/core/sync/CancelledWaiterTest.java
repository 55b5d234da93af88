package dev.taskloop.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Async;
import dev.taskloop.core.Task;
import dev.taskloop.core.queue.Queue;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Done-when 3: a cancelled waiter never takes an item or a permit, at the exact interleaving where
 * it matters: the cancellation and the hand-off happen in the same step of one task, in both orders.
 * (Cancelling from the baton holder wakes the waiter at once, so the hand-off that follows sees it
 * already cancelled.)
 */
class CancelledWaiterTest {

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();

    @Test
    void aGetterCancelledJustBeforeAPutDoesNotTakeTheItemTheNextGetterDoes() {
        Queue<String> q = Queue.fifo("q", 1);
        Task<String> first = test.loop().spawn("first", q::get);
        Task<String> second = test.loop().spawn("second", q::get);
        test.runCurrent();
        assertThat(q.waitingGetters()).isEqualTo(2);

        test.loop().spawn("driver", () -> {
            first.cancel("stop");
            q.put("item");
        });
        test.runCurrent();

        assertThat(first.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(second.result()).isEqualTo("item");
        assertThat(q.size()).isZero();
        assertThat(q.waitingGetters()).isZero();
    }

    @Test
    void aGetterHandedAnItemJustBeforeItsCancellationKeepsTheItem() {
        Queue<String> q = Queue.fifo("q", 1);
        Task<String> first = test.loop().spawn("first", q::get);
        test.runCurrent();

        test.loop().spawn("driver", () -> {
            q.put("item");
            first.cancel("too late");
        });
        test.runCurrent();

        assertThat(first.result()).isEqualTo("item"); // the wake won: get() returns it, nothing is lost
        assertThat(q.size()).isZero();
    }

    @Test
    void aPutterCancelledJustBeforeSpaceFreesUpDoesNotPutItsItemTheNextPutterDoes() {
        Queue<String> q = Queue.fifo("q", 1);
        test.run(() -> {
            q.put("a");
            return null;
        });
        Task<Void> first = test.loop().spawn("first", () -> q.put("b"));
        Task<Void> second = test.loop().spawn("second", () -> q.put("c"));
        test.runCurrent();
        assertThat(q.waitingPutters()).isEqualTo(2);

        Task<String> driver = test.loop().spawn("driver", () -> {
            first.cancel("stop");
            return q.get();
        });
        test.runCurrent();

        assertThat(driver.result()).isEqualTo("a");
        assertThat(first.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(second.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(q.poll()).isEqualTo("c");
        assertThat(q.poll()).isNull();
        assertThat(q.unfinished()).isEqualTo(2); // "a" and "c": "b" never went in
    }

    @Test
    void anAcquirerCancelledJustBeforeAReleaseDoesNotTakeThePermitTheNextAcquirerDoes() {
        Semaphore s = new Semaphore("s", 0);
        Task<Void> first = test.loop().spawn("first", s::acquire);
        Task<Void> second = test.loop().spawn("second", s::acquire);
        test.runCurrent();

        test.loop().spawn("driver", () -> {
            first.cancel("stop");
            s.release();
        });
        test.runCurrent();

        assertThat(first.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(second.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(s.availablePermits()).isZero();
        assertThat(s.waiting()).isZero();
    }

    @Test
    void aPermitReleasedWhileTheOnlyWaiterIsBeingCancelledGoesBackToTheSemaphore() {
        BoundedSemaphore s = new BoundedSemaphore("s", 1);
        test.run(() -> {
            s.acquire();
            return null;
        });
        Task<Void> waiter = test.loop().spawn("waiter", s::acquire);
        test.runCurrent();

        test.loop().spawn("driver", () -> {
            waiter.cancel("stop");
            s.release();
        });
        test.runCurrent();

        assertThat(waiter.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void aLockWaiterCancelledJustBeforeTheReleaseDoesNotBecomeTheOwnerTheNextWaiterDoes() {
        Lock lock = new Lock("l");
        Task<?>[] ws = new Task<?>[2];
        Task<Task<?>> driver = test.loop().spawn("driver", () -> {
            lock.acquire();
            ws[0] = Async.spawn("first", () -> lock.withLock(() -> { }));
            ws[1] = Async.spawn("second", () -> lock.withLock(() -> Async.sleep(Duration.ofMillis(5))));
            Async.sleep(Duration.ofMillis(1));
            ws[0].cancel("stop");
            lock.release();
            return lock.owner();
        });
        test.advanceTimeBy(Duration.ofMillis(1));

        assertThat(driver.result()).isSameAs(ws[1]);
        assertThat(ws[0].state()).isEqualTo(Task.State.CANCELLED);
        test.advanceUntilIdle();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aConditionWaiterCancelledJustBeforeASignalDoesNotConsumeItTheNextWaiterGetsIt() {
        Condition c = new Condition("c");
        Task<?>[] ws = new Task<?>[2];
        Task<Integer> driver = test.loop().spawn("driver", () -> {
            ws[0] = Async.spawn("first", () -> c.withLock(() -> { c.await(); return "first"; }));
            ws[1] = Async.spawn("second", () -> c.withLock(() -> { c.await(); return "second"; }));
            Async.sleep(Duration.ofMillis(1));
            return c.withLock(() -> {
                ws[0].cancel("stop");
                return c.signal(1);
            });
        });
        test.advanceUntilIdle();

        assertThat(driver.result()).isEqualTo(1);
        assertThat(ws[0].state()).isEqualTo(Task.State.CANCELLED);
        assertThat(ws[1].result()).isEqualTo("second");
        assertThat(c.lock().isLocked()).isFalse(); // the cancelled waiter re-took the lock, and its finally released it
    }
}
