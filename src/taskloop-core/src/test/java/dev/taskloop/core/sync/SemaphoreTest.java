package dev.taskloop.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.Async;
import dev.taskloop.core.Task;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SemaphoreTest {

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();

    @Test
    void atMostThePermitCountOfTasksHoldAPermitAtOnce() {
        Semaphore s = new Semaphore("pool", 3);
        int[] inside = {0, 0};
        test.run(() -> {
            List<Task<Void>> ts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ts.add(Async.spawn("t" + i, () -> s.withPermit(() -> {
                    inside[0]++;
                    inside[1] = Math.max(inside[1], inside[0]);
                    Async.sleep(Duration.ofMillis(10));
                    inside[0]--;
                    return null;
                })));
            }
            Async.gather(ts);
            return null;
        });
        assertThat(inside[1]).isEqualTo(3);
        assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(40)); // 10 tasks, 3 at a time: 4 rounds
        assertThat(s.availablePermits()).isEqualTo(3);
    }

    @Test
    void waitersAreServedInArrivalOrderAndALateArrivalCannotBargeIn() {
        Semaphore s = new Semaphore("s", 0);
        List<String> trace = new ArrayList<>();
        test.run(() -> {
            List<Task<Void>> ts = new ArrayList<>();
            for (String n : List.of("a", "b")) {
                ts.add(Async.spawn(n, () -> {
                    s.acquire();
                    trace.add(n);
                }));
            }
            Async.sleep(Duration.ofMillis(1));
            s.release();
            assertThat(s.tryAcquire()).as("the released permit belongs to 'a' already").isFalse();
            s.release();
            Async.gather(ts);
            return null;
        });
        assertThat(trace).containsExactly("a", "b");
    }

    @Test
    void aBodyWithoutAResultRunsHoldingAPermitAndGivesItBackEvenWhenItThrows() {
        Semaphore s = new Semaphore("s", 1);
        List<String> trace = new ArrayList<>();
        test.run(() -> {
            Task<Void> other = Async.spawn("other", () -> s.withPermit(() -> {
                trace.add("other got the permit");
            }));
            s.withPermit(() -> {
                Async.sleep(Duration.ofMillis(5)); // 'other' runs meanwhile, and waits
                assertThat(s.availablePermits()).isZero();
                trace.add("void body done");
            });
            other.join();
            assertThatThrownBy(() -> s.withPermit(() -> {
                throw new java.io.IOException("body failed");
            })).isInstanceOf(java.io.IOException.class);
            return null;
        });
        assertThat(trace).containsExactly("void body done", "other got the permit");
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void aPlainSemaphoreMayBeReleasedMoreThanAcquired() {
        Semaphore s = new Semaphore("s", 1);
        s.release();
        assertThat(s.availablePermits()).isEqualTo(2);
    }

    @Test
    void overReleasingABoundedSemaphoreFailsNamingItsCountAndBoundAndChangesNothing() {
        BoundedSemaphore s = new BoundedSemaphore("conns", 2);
        assertThat(s.tryAcquire()).isTrue();
        s.release();
        assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BoundedSemaphore 'conns' was released more times than it was acquired")
                .hasMessageContaining("2 free, bound 2")
                .hasMessageContaining("would make 3");
        assertThat(s.availablePermits()).isEqualTo(2);
    }

    @Test
    void aNegativePermitCountIsRejected() {
        assertThatThrownBy(() -> new Semaphore("s", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Semaphore 's' needs zero or more initial permits, but got -1");
    }

    @Test
    void aTaskWaitingForAPermitShowsTheSemaphoreInItsSnapshot() {
        Semaphore s = new Semaphore("db", 0);
        Task<Void> t = test.loop().spawn("t", s::acquire);
        test.runCurrent();
        assertThat(t.snapshot().awaiting().toString()).isEqualTo("semaphore db");
        s.release(); // from the test thread: not a task, which release() allows
        test.runCurrent();
        assertThat(t.state()).isEqualTo(Task.State.COMPLETED);
    }
}
