package dev.taskloop.core;

import static dev.taskloop.core.testing.VirtualTime.sleepMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.testing.SwallowedCancellations;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cancel scopes: level-triggered cancellation, move-on at the edge, shields, the scope tree across tasks. */
class CancelScopeTest {

    private final SwallowedCancellations swallowed = new SwallowedCancellations();
    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create().listener(swallowed);

    @Test
    void aCancelledScopeStopsItsBodyAtTheNextAwaitAndTheCodeAfterItGoesOn() {
        List<String> trace = new CopyOnWriteArrayList<>();
        test.run(() -> {
            CancelScope scope = CancelScope.create();
            Async.spawn("canceller", () -> {
                sleepMs(10);
                scope.cancel("enough");
            });
            Object r = scope.call(() -> {
                trace.add("body");
                sleepMs(1000);
                trace.add("unreached");
                return "value";
            });
            trace.add("after: " + r);
            assertThat(scope.isCancelled()).isTrue();
            assertThat(scope.cancelledCaught()).isTrue();
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(10));
            return null;
        });
        assertThat(trace).containsExactly("body", "after: null");
    }

    @Test
    void cancellationIsLevelTriggeredUntilTheScopeIsLeft() {
        List<String> trace = new CopyOnWriteArrayList<>();
        test.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                scope.cancel();
                for (int i = 0; i < 3; i++) {
                    try {
                        Async.yieldNow();
                    } catch (CancelledException c) {
                        trace.add("cancelled " + i);
                    }
                }
                sleepMs(5); // still inside: throws again, and this one reaches the edge
            });
            trace.add("left the scope");
            Async.yieldNow(); // outside the scope: no cancellation
            return null;
        });
        assertThat(trace).containsExactly("cancelled 0", "cancelled 1", "cancelled 2", "left the scope");
        assertThat(swallowed.all()).isEmpty();
    }

    @Test
    void finallyBlocksCannotAwaitInACancelledScopeUnlessShielded() {
        List<String> trace = new CopyOnWriteArrayList<>();
        test.run(() -> {
            Task<Void> t = Async.spawn("worker", () -> {
                try {
                    sleepMs(1000);
                } finally {
                    try {
                        sleepMs(5);
                        trace.add("unshielded await returned");
                    } catch (CancelledException c) {
                        trace.add("unshielded await cancelled");
                    }
                    CancelScope.shielded().run(() -> sleepMs(5));
                    trace.add("shielded await done at " + test.currentTime().toMillis());
                }
            });
            sleepMs(10);
            t.cancel();
            assertThatThrownBy(t::join).isInstanceOf(CancelledException.class);
            return null;
        });
        assertThat(trace).containsExactly("unshielded await cancelled", "shielded await done at 15");
    }

    @Test
    void aShieldKeepsOuterCancellationOutButItsOwnCancellationIn() {
        test.run(() -> {
            CancelScope outer = CancelScope.create();
            CancelScope shield = CancelScope.shielded();
            outer.run(() -> {
                outer.cancel();
                shield.run(() -> {
                    sleepMs(5); // outer is cancelled: no effect in here
                    shield.cancel("own");
                    sleepMs(5); // own cancellation does apply
                });
                assertThat(shield.cancelledCaught()).isTrue();
                sleepMs(5); // back in the cancelled outer scope
            });
            assertThat(outer.cancelledCaught()).isTrue();
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(5));
            return null;
        });
    }

    @Test
    void aScopeCancelledBeforeItIsEnteredStartsCancelled() {
        test.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.cancel();
            List<String> trace = new CopyOnWriteArrayList<>();
            scope.run(() -> {
                trace.add("body runs until its first await");
                sleepMs(5);
                trace.add("unreached");
            });
            assertThat(trace).containsExactly("body runs until its first await");
            return null;
        });
    }

    @Test
    void cancellingAScopeCancelsTheTasksOfAGroupInsideIt() {
        List<String> trace = new CopyOnWriteArrayList<>();
        test.run(() -> {
            CancelScope scope = CancelScope.create();
            Async.spawn("canceller", () -> { sleepMs(10); scope.cancel("stop all"); });
            scope.run(() -> {
                TaskGroup g = TaskGroup.create("inner");
                g.run(() -> {
                    for (int i = 0; i < 3; i++) {
                        int n = i;
                        g.spawn("child" + n, () -> {
                            try {
                                sleepMs(1000);
                            } catch (CancelledException c) {
                                trace.add("child" + n + ": " + c.getMessage());
                                throw c;
                            }
                        });
                    }
                });
                trace.add("unreached: the group rethrows the scope's cancellation");
            });
            trace.add("scope left at " + test.currentTime().toMillis());
            return null;
        });
        assertThat(trace).hasSize(4).last().isEqualTo("scope left at 10");
        assertThat(trace.subList(0, 3)).allMatch(s -> s.contains("stop all"));
    }

    @Test
    void cancellingATaskFromAnotherThreadReachesItsAwaitPoint() throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            CountDownLatch started = new CountDownLatch(1);
            Task<Void> t = loop.spawn("sleeper", () -> {
                started.countDown();
                Async.sleep(Duration.ofHours(1));
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(t.cancel("from the test thread")).isTrue();
            assertThatThrownBy(t::join).isInstanceOf(CancelledException.class).hasMessageContaining("from the test thread");
            assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
            assertThat(t.cancel()).isFalse();
        }
    }

    @Test
    void catchingACancellationAndCompletingNormallyIsReportedAsSwallowed() {
        test.run(() -> {
            Task<String> t = Async.spawn("stubborn", () -> {
                try {
                    sleepMs(1000);
                } catch (CancelledException ignored) {
                    // wrong: swallowed
                }
                return "finished anyway";
            });
            sleepMs(5);
            t.cancel();
            assertThat(t.join()).isEqualTo("finished anyway");
            return null;
        });
        assertThat(swallowed.all()).containsExactly("stubborn: task 'stubborn'");
    }

    @Test
    void aScopeWhoseCancellationIsCaughtInsideIsReportedAtItsEdge() {
        test.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                scope.cancel();
                try {
                    Async.yieldNow();
                } catch (CancelledException ignored) {
                    // wrong: swallowed, then the body ends normally
                }
            });
            return null;
        });
        assertThat(swallowed.all()).containsExactly("main: cancel scope");
    }

    /* A finally that throws replaces the cancellation: the scope was left by that exception, nothing was swallowed. */
    @Test
    void aCancellationReplacedByAnotherExceptionThatLeavesTheScopeIsNotReportedAsSwallowed() {
        List<String> trace = new CopyOnWriteArrayList<>();
        test.run(() -> {
            try {
                Async.withTimeout(Duration.ofMillis(10), () -> {
                    try {
                        sleepMs(1000);
                    } finally {
                        throw new IllegalStateException("cleanup failed"); // replaces the timeout's cancellation
                    }
                });
            } catch (IllegalStateException e) {
                trace.add("caught " + e.getMessage());
            }
            CancelScope scope = CancelScope.create();
            Async.spawn("canceller", () -> { sleepMs(5); scope.cancel(); });
            try {
                scope.run(() -> {
                    try {
                        sleepMs(1000);
                    } finally {
                        throw new java.io.UncheckedIOException(new java.io.IOException("flush failed"));
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                trace.add("caught " + e.getCause().getMessage());
            }
            return "went on";
        });
        assertThat(trace).containsExactly("caught cleanup failed", "caught flush failed");
        assertThat(swallowed.all()).isEmpty();
    }

    /*
     * Replaced, but the replacement is caught inside the cancelled scope, whose body then ends
     * normally: the cancellation was lost in there, so it is reported, as a catch of it would be.
     */
    @Test
    void aReplacedCancellationWhoseReplacementIsCaughtInsideTheScopeIsReportedAsSwallowed() {
        test.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                scope.cancel();
                try {
                    try {
                        Async.yieldNow();
                    } finally {
                        throw new IllegalStateException("replaces it");
                    }
                } catch (IllegalStateException wrong) {
                    // the body carries on inside its cancelled scope
                }
            });
            return null;
        });
        assertThat(swallowed.all()).containsExactly("main: cancel scope");
    }

    /* Both the inner timeout and the outer scope are cancelled when the task resumes: the outer one wins. */
    @Test
    void anOuterCancellationPassesThroughAnInnerTimeoutUnchanged() {
        test.run(() -> {
            CancelScope outer = CancelScope.create();
            Async.spawn("canceller", () -> { sleepMs(10); outer.cancel("outer"); });
            Async.yieldNow(); // the canceller's timer is set first, so at t=10 it runs before main resumes
            outer.run(() -> {
                try {
                    Async.withTimeout(Duration.ofMillis(10), () -> { sleepMs(1000); return null; });
                } catch (TimeoutExpiredException wrong) {
                    throw new AssertionError("the outer cancellation must not become a timeout", wrong);
                }
            });
            assertThat(outer.cancelledCaught()).isTrue();
            return null;
        });
    }

    /*
     * Deliberately unlike asyncio, whose Task.__step marks a task cancelled when its coroutine returns
     * with a cancellation pending: here a cancellation exists only where an await point throws it.
     */
    @Test
    void aTaskThatCancelsItselfAndReturnsBeforeAnyAwaitPointEndsCompleted() {
        test.run(() -> {
            Task<String> t = Async.spawn("quitter", () -> {
                Task.current().cancel("changed its mind");
                return "returned anyway";
            });
            assertThat(t.join()).isEqualTo("returned anyway");
            assertThat(t.state()).isEqualTo(Task.State.COMPLETED);
            return null;
        });
        assertThat(swallowed.all()).as("nothing was thrown, so nothing was swallowed").isEmpty();
    }

    /* Deliberately unlike asyncio, which runs such children up to their first await before it cancels them. */
    @Test
    void theChildrenOfATaskGroupInsideACancelledScopeNeverRunTheirBody() {
        List<String> trace = new CopyOnWriteArrayList<>();
        test.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.cancel();
            Task<?>[] child = new Task<?>[1];
            scope.run(() -> {
                TaskGroup g = TaskGroup.create("g");
                g.run(() -> {
                    child[0] = g.spawn("child", () -> trace.add("child ran"));
                });
            });
            assertThat(child[0].state()).isEqualTo(Task.State.CANCELLED);
            return null;
        });
        assertThat(trace).isEmpty();
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRunsItsBody() {
        test.run(() -> {
            List<String> trace = new CopyOnWriteArrayList<>();
            Task<?> t = Async.spawn("never", () -> trace.add("ran"));
            t.cancel();
            assertThatThrownBy(t::join).isInstanceOf(CancelledException.class);
            assertThat(trace).isEmpty();
            return null;
        });
    }
}
