package dev.taskloop.core;

import static dev.taskloop.core.testing.VirtualTime.sleepMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** asyncio's {@code timeout()}: relative and absolute deadlines, reschedule, expired. */
class TimeoutTest {

    private static final long MS = 1_000_000;
    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();

    @Test
    void aRelativeTimeoutKnowsItsDeadlineOnceEntered() {
        test.run(() -> {
            sleepMs(7);
            Timeout t = Timeout.after(Duration.ofMillis(100));
            assertThat(t.when()).isEmpty();
            t.run(() -> assertThat(t.when()).hasValue(test.loop().time() + 100 * MS));
            assertThat(t.expired()).isFalse();
            return null;
        });
    }

    @Test
    void rescheduleMovesTheDeadlineLater() {
        test.run(() -> {
            Timeout t = Timeout.after(Duration.ofMillis(10));
            t.run(() -> {
                t.rescheduleAfter(Duration.ofMillis(50));
                sleepMs(40);
            });
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(40));
            assertThat(t.expired()).isFalse();
            return null;
        });
    }

    @Test
    void rescheduleToThePastExpiresAtOnce() {
        test.run(() -> {
            Timeout t = Timeout.never();
            assertThatThrownBy(() -> t.run(() -> {
                t.reschedule(test.loop().time() - 1);
                sleepMs(1000);
            })).isInstanceOf(TimeoutExpiredException.class);
            assertThat(t.expired()).isTrue();
            assertThat(test.currentTime()).isZero();
            assertThatThrownBy(() -> t.reschedule(Long.MAX_VALUE)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already expired");
            return null;
        });
    }

    @Test
    void aBodyThatEndsByAnotherCauseAfterTheDeadlinePassedIsNoTimeoutButTheTimeoutHasExpired() {
        test.run(() -> {
            Timeout t = Timeout.after(Duration.ofMillis(10));
            IllegalStateException own = new IllegalStateException("the body's own failure");
            assertThatThrownBy(() -> t.run(() -> {
                try {
                    sleepMs(1000);
                } catch (CancelledException deadline) {
                    throw own; // EXPIRING, then the body ends by its own failure: EXPIRED, and no TimeoutExpiredException
                }
            })).isSameAs(own);
            assertThat(t.expired()).isTrue();
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(10));
            assertThatThrownBy(() -> t.rescheduleAfter(Duration.ofMillis(5))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already expired");
            return null;
        });
    }

    @Test
    void anAbsoluteTimeoutExpiresAtItsDeadline() {
        test.run(() -> {
            long deadline = test.loop().time() + 25 * MS;
            assertThatThrownBy(() -> Timeout.at(deadline).run(() -> sleepMs(1000)))
                    .isInstanceOf(TimeoutExpiredException.class);
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(25));
            return null;
        });
    }

    @Test
    void aNeverTimeoutHasNoDeadline() {
        test.run(() -> {
            Timeout t = Timeout.never();
            assertThat(t.when()).isEqualTo(OptionalLong.empty());
            t.run(() -> sleepMs(500));
            assertThat(t.expired()).isFalse();
            return null;
        });
    }

    @Test
    void aBodyThatComputesPastTheDeadlineWithoutAwaitingCompletesNormally() {
        String r = test.run(() -> Async.withTimeout(Duration.ofMillis(10), () -> {
            test.ticker().advance(Duration.ofMillis(50)); // "computes" for 50 ms without an await point
            return "done";
        }));
        assertThat(r).isEqualTo("done");
    }

    @Test
    void cancellingTheTaskInsideATimeoutIsACancellationNotATimeout() {
        test.run(() -> {
            Task<Void> t = Async.spawn("worker", () -> Async.withTimeout(Duration.ofSeconds(1), () -> {
                sleepMs(5000);
                return null;
            }));
            sleepMs(10);
            t.cancel();
            assertThatThrownBy(t::join).isInstanceOf(CancelledException.class);
            return null;
        });
    }

    @Test
    void aTimeoutCannotBeRescheduledAfterItExited() {
        test.run(() -> {
            Timeout t = Timeout.after(Duration.ofMillis(10));
            t.run(() -> { });
            assertThatThrownBy(() -> t.rescheduleAfter(Duration.ofMillis(5)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already exited");
            return null;
        });
    }

    @Test
    void joinWithATimeoutGivesUpWithoutCancellingTheTask() {
        test.run(() -> {
            Task<String> slow = Async.spawn("slow", () -> { sleepMs(100); return "late"; });
            assertThatThrownBy(() -> slow.join(Duration.ofMillis(30)))
                    .isInstanceOf(TimeoutExpiredException.class).hasMessageContaining("'slow'").hasMessageContaining("30 ms");
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(30));
            assertThat(slow.isCancelRequested()).isFalse();
            assertThat(slow.join(Duration.ofMillis(100))).isEqualTo("late");
            return null;
        });
    }
}
