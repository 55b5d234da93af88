package dev.taskloop.core.sync;

import static dev.taskloop.core.testing.VirtualTime.sleepMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.EventLoopGroup;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.Awaiting;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LockTest {

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();

    @Test
    void waitersGetTheLockInTheOrderTheyAsked() {
        Lock lock = new Lock("l");
        List<String> trace = new ArrayList<>();
        test.run(() -> {
            lock.acquire();
            List<Task<Void>> ts = new ArrayList<>();
            for (String n : List.of("a", "b", "c")) {
                ts.add(Async.spawn(n, () -> lock.withLock(() -> {
                    trace.add(n);
                    sleepMs(1);
                })));
            }
            sleepMs(5);
            assertThat(lock.waiting()).isEqualTo(3);
            trace.add("main");
            lock.release();
            Async.gather(ts);
            return null;
        });
        assertThat(trace).containsExactly("main", "a", "b", "c");
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aTaskWaitingOnALockShowsTheLockAndTheTaskHoldingItInItsSnapshot() {
        Lock lock = new Lock("accounts");
        Task<Void> holder = test.loop().spawn("holder", () -> lock.withLock(() -> sleepMs(100)));
        Task<Void> second = test.loop().spawn("second", () -> lock.withLock(() -> sleepMs(100)));
        Task<Void> third = test.loop().spawn("third", () -> lock.withLock(() -> sleepMs(100)));
        test.runCurrent();

        Awaiting a = third.snapshot().awaiting();
        assertThat(a.kind()).isEqualTo("lock");
        assertThat(a.target()).isEqualTo("accounts");
        assertThat(a.holderId()).isEqualTo(holder.id());
        assertThat(a.holderName()).isEqualTo("holder");
        assertThat(a.toString()).isEqualTo("lock accounts held by task 'holder' (id " + holder.id() + ")");

        test.advanceTimeBy(Duration.ofMillis(100)); // holder releases; 'second' owns it now
        assertThat(lock.owner()).isSameAs(second);
        assertThat(third.snapshot().awaiting().holderName()).isEqualTo("second");
        assertThat(third.snapshot().awaiting().holderId()).isEqualTo(second.id());
    }

    @Test
    void releasingALockHeldByAnotherTaskFailsNamingTheLockItsOwnerAndTheCaller() {
        Lock lock = new Lock("l");
        Task<Void> owner = test.loop().spawn("owner", () -> {
            lock.acquire();
            sleepMs(10);
            lock.release();
        });
        Task<Void> intruder = test.loop().spawn("intruder", lock::release);
        test.runCurrent();
        assertThat(intruder.exception()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lock 'l' is held by task 'owner' (id " + owner.id() + ")")
                .hasMessageContaining("task 'intruder' (id " + intruder.id() + ") cannot release it");
        assertThat(lock.owner()).isSameAs(owner);
        test.advanceUntilIdle();
        assertThat(owner.state()).isEqualTo(Task.State.COMPLETED);
    }

    @Test
    void releasingAnUnlockedLockOrReleasingFromOutsideATaskFailsClearly() {
        Lock lock = new Lock("l");
        Task<Void> t = test.loop().spawn("t", lock::release);
        test.runCurrent();
        assertThat(t.exception()).hasMessageContaining("lock 'l' is not locked, so task 't'");
        assertThatThrownBy(lock::release).hasMessageContaining("thread '" + Thread.currentThread().getName() + "', which is not a Taskloop task");
        assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Lock.acquire() must be called from a Taskloop task");
    }

    @Test
    void acquiringTheLockAgainFromItsOwnerFailsInsteadOfDeadlocking() {
        Lock lock = new Lock("l");
        Task<Void> t = test.loop().spawn("t", () -> {
            lock.acquire();
            try {
                lock.acquire();
            } finally {
                lock.release();
            }
        });
        test.runCurrent();
        assertThat(t.exception()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lock 'l' is already held by task 't'").hasMessageContaining("not reentrant");
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void tryAcquireTakesAFreeLockAndOtherwiseReturnsFalseAtOnce() {
        Lock lock = new Lock("l");
        List<Boolean> got = new ArrayList<>();
        test.run(() -> {
            got.add(lock.tryAcquire());
            Task<Boolean> other = Async.spawn("other", lock::tryAcquire);
            got.add(other.join());
            lock.release();
            return null;
        });
        assertThat(got).containsExactly(true, false);
    }

    @Test
    void aTaskThatEndsHoldingTheLockIsReportedAndTheLockStaysLocked() {
        List<String> reports = new CopyOnWriteArrayList<>();
        test.listener(new LoopListener() {
            @Override
            public void lockAbandoned(TaskSnapshot task, String lock, int waiting) {
                reports.add(task.name() + " " + task.state() + " " + lock + " " + waiting);
            }
        });
        Lock lock = new Lock("leaky");
        Task<Void> careless = test.loop().spawn("careless", () -> {
            lock.acquire();
            sleepMs(10);
        });
        Task<Void> waiter = test.loop().spawn("waiter", lock::acquire);
        test.advanceTimeBy(Duration.ofMillis(10));
        assertThat(careless.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(reports).containsExactly("careless COMPLETED leaky 1");
        assertThat(lock.isLocked()).isTrue();
        assertThat(waiter.state()).isEqualTo(Task.State.ASLEEP);
    }

    @Test
    void aLockThatIsReleasedProperlyIsNotReported() {
        List<String> reports = new CopyOnWriteArrayList<>();
        test.listener(new LoopListener() {
            @Override
            public void lockAbandoned(TaskSnapshot task, String lock, int waiting) {
                reports.add(lock);
            }
        });
        Lock lock = new Lock("tidy");
        test.run(() -> {
            for (int i = 0; i < 3; i++) {
                Async.spawn("user-" + i, () -> lock.withLock(() -> sleepMs(1))).join();
            }
            return null;
        });
        assertThat(reports).isEmpty();
    }

    @Test
    void aCancelledWaiterThrowsAndDoesNotHoldTheLock() {
        Lock lock = new Lock("l");
        test.run(() -> {
            lock.acquire();
            Task<Void> w = Async.spawn("w", lock::acquire);
            sleepMs(1);
            w.cancel("give up");
            sleepMs(1);
            assertThat(w.state()).isEqualTo(Task.State.CANCELLED);
            assertThat(lock.waiting()).isZero();
            lock.release();
            assertThat(lock.isLocked()).isFalse();
            return null;
        });
    }

    @Test
    void tasksOfDifferentLoopsSharingALockExcludeEachOther() {
        Lock lock = new Lock("shared");
        int[] counter = {0};
        try (EventLoopGroup group = EventLoopGroup.create("lock-test", 2)) {
            List<Task<Void>> ts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ts.add(group.spawn("inc-" + i, () -> {
                    for (int k = 0; k < 500; k++) {
                        lock.withLock(() -> {
                            int v = counter[0];
                            Async.yieldNow();
                            counter[0] = v + 1;
                        });
                    }
                }));
            }
            for (Task<Void> t : ts) {
                t.join(Duration.ofSeconds(30));
            }
        }
        synchronized (lock) { // reads the plain int after the tasks' joins (happens-before through join)
            assertThat(counter[0]).isEqualTo(8 * 500);
        }
    }

    @Test
    void awaitingACancelledTaskThrowsBeforeTakingAFreeLock() {
        Lock lock = new Lock("l");
        Task<Void> t = test.loop().spawn("t", () -> {
            Task.current().cancel("now");
            lock.acquire();
        });
        test.runCurrent();
        assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(lock.isLocked()).isFalse();
        assertThatThrownBy(t::result).isInstanceOf(CancelledException.class);
    }
}
