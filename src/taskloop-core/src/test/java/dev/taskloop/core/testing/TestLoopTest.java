package dev.taskloop.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link TestLoop#close()}: what is left is cancelled before virtual time moves again, then cleanup runs on auto-jump. */
class TestLoopTest {

    @Test
    void closeCancelsATaskAsleepWhenTheTestEndsInsteadOfLettingItsTimerEndTheSleep() {
        List<String> trace = new CopyOnWriteArrayList<>();
        TestLoop test = TestLoop.create();
        Task<Void> sleeper = test.loop().spawn("sleeper", () -> {
            Async.sleep(Duration.ofHours(1));
            trace.add("woke up normally"); // what auto-jump before the cancellation would do
        });
        test.runCurrent();
        test.close();
        assertThat(sleeper.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(sleeper.snapshot().cancelReason().origin()).isEqualTo(CancelOrigin.SHUTDOWN);
        assertThat(sleeper.snapshot().cancelReason().message()).isEqualTo("event loop 'test' is shutting down");
        assertThat(trace).isEmpty();
        assertThat(test.currentTime()).isZero();
    }

    @Test
    void cleanupThatSleepsInAShieldedScopeAfterCloseTakesNoRealTime() {
        List<String> trace = new CopyOnWriteArrayList<>();
        TestLoop test = TestLoop.create();
        Task<Void> worker = test.loop().spawn("worker", () -> {
            try {
                Async.sleep(Duration.ofHours(1));
            } finally {
                CancelScope.shielded().run(() -> Async.sleep(Duration.ofMinutes(5)));
                trace.add("cleaned up after " + test.currentTime().toMinutes() + " min of virtual time");
            }
        });
        test.advanceTimeBy(Duration.ofMinutes(10));
        test.close();
        assertThat(worker.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(trace).containsExactly("cleaned up after 15 min of virtual time");
    }

    @Test
    void closingAClosedTestLoopAgainDoesNothing() {
        TestLoop test = TestLoop.create();
        test.close();
        test.close();
        assertThat(test.loop().isClosed()).isTrue();
        assertThat(test.ticker().isAutoJump()).isTrue();
    }
}
