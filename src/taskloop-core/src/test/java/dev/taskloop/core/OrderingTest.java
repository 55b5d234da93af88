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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins the observable order of asyncio (CPython 3.13) programs, kotlinx-style: every step states
 * its number. Each scenario's asyncio original is in its comment. Virtual time, so sleeps are free.
 */
class OrderingTest {

    private final Expect e = new Expect();
    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();

    /*
     * async def main():
     *     expect(1); t = asyncio.create_task(child()); expect(2)
     *     assert await t == 42; expect(4)
     * async def child(): expect(3); return 42
     */
    @Test
    void aSpawnedTaskRunsOnlyWhenItsCreatorAwaitsIt() {
        test.run(() -> {
            e.expect(1);
            Task<Integer> t = Async.spawn("child", () -> {
                e.expect(3);
                return 42;
            });
            e.expect(2);
            assertThat(t.state()).isEqualTo(Task.State.READY);
            assertThat(t.join()).isEqualTo(42);
            e.expect(4);
            return null;
        });
        e.finish(5);
    }

    /*
     * async def main():
     *     expect(1); t = create_task(child()); expect(2)
     *     await sleep(0.005); expect(4)       # child ran and is now asleep
     *     await t; expect(6)
     * async def child(): expect(3); await sleep(0.010); expect(5)
     */
    @Test
    void tasksRunWhileTheirCreatorSleeps() {
        test.run(() -> {
            e.expect(1);
            Task<Void> t = Async.spawn("child", () -> {
                e.expect(3);
                sleepMs(10);
                e.expect(5);
            });
            e.expect(2);
            sleepMs(5);
            e.expect(4);
            assertThat(t.state()).isEqualTo(Task.State.ASLEEP);
            t.join();
            e.expect(6);
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(10));
            return null;
        });
        e.finish(7);
    }

    /* Three tasks that yield run round-robin, in the order they were spawned: the ready queue is FIFO. */
    @Test
    void theReadyQueueIsFifo() {
        List<String> trace = new ArrayList<>();
        test.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(Async.spawn(name, () -> {
                    for (int i = 0; i < 3; i++) {
                        trace.add(name + i);
                        Async.yieldNow();
                    }
                }));
            }
            trace.add("main");
            Async.gather(tasks);
            return null;
        });
        assertThat(trace).containsExactly("main", "a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2");
    }

    /* Timers fire in deadline order; equal deadlines in the order they were set; woken tasks queue behind ready ones. */
    @Test
    void timersFireByDeadlineThenBySequence() {
        List<String> trace = new CopyOnWriteArrayList<>();
        test.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            tasks.add(Async.spawn("late", () -> { sleepMs(20); trace.add("late"); }));
            tasks.add(Async.spawn("first", () -> { sleepMs(10); trace.add("first"); }));
            tasks.add(Async.spawn("second", () -> { sleepMs(10); trace.add("second"); }));
            tasks.add(Async.spawn("zero", () -> { sleepMs(0); trace.add("zero"); }));
            Async.gather(tasks);
            return null;
        });
        assertThat(trace).containsExactly("zero", "first", "second", "late");
    }

    /*
     * async with TaskGroup() as tg:
     *     tg.create_task(sleeper("s1")); tg.create_task(sleeper("s2")); tg.create_task(failer())
     *     try: await sleep(1) finally: expect(...)      # the body is cancelled too
     * -> ExceptionGroup([IOError]) after every cleanup ran
     */
    @Test
    void aFailingChildCancelsItsSiblingsAndTheBodyAndAllCleanupsRunBeforeTheGroupFails() {
        List<String> cleanups = new CopyOnWriteArrayList<>();
        test.run(() -> {
            e.expect(1);
            TaskGroup g = TaskGroup.create("workers");
            assertThatThrownBy(() -> g.run(() -> {
                for (String name : List.of("s1", "s2")) {
                    g.spawn(name, () -> {
                        try {
                            sleepMs(1000);
                            e.unreached();
                        } finally {
                            cleanups.add(name);
                        }
                    });
                }
                g.spawn("failer", () -> {
                    sleepMs(10);
                    throw new IOException("disk full");
                });
                try {
                    sleepMs(1000);
                    e.unreached();
                } finally {
                    cleanups.add("body");
                    e.expect(2);
                }
            })).isInstanceOfSatisfying(TaskGroupException.class, ex -> {
                assertThat(ex.exceptions()).hasSize(1).first().isInstanceOf(IOException.class);
                assertThat(ex).hasMessageContaining("workers").hasMessageContaining("disk full");
            });
            e.expect(3);
            assertThat(cleanups).containsExactlyInAnyOrder("s1", "s2", "body");
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(10));
            return null;
        });
        e.finish(4);
    }

    /* Two children that fail at the same instant are both reported; a cancelled sibling is not a failure. */
    @Test
    void everyFailureOfAGroupIsReportedTogether() {
        test.run(() -> {
            TaskGroup g = TaskGroup.create();
            assertThatThrownBy(() -> g.run(() -> {
                g.spawn("f1", () -> { sleepMs(10); throw new IllegalStateException("one"); });
                g.spawn("f2", () -> { sleepMs(10); throw new IllegalArgumentException("two"); });
                g.spawn("f3", () -> {
                    try {
                        sleepMs(20);
                    } finally {
                        Async.yieldNow(); // cancelled: this checkpoint throws again, no shield
                    }
                });
            })).isInstanceOfSatisfying(TaskGroupException.class, ex -> assertThat(ex.exceptions())
                    .extracting(Throwable::getMessage).containsExactly("one", "two"));
            return null;
        });
    }

    /*
     * async def main():
     *     g = create_task(gathering()); await sleep(0.01); g.cancel()
     *     with raises(CancelledError): await g
     * async def gathering():
     *     try: await gather(child(1), child(2), child(3))
     *     except CancelledError: expect(...)  # after every child's finally
     */
    @Test
    void cancellingAGatherCancelsEveryChildAndWaitsForTheirCleanupBeforeReportingCancellation() {
        List<String> trace = new CopyOnWriteArrayList<>();
        test.run(() -> {
            Task<Void> gathering = Async.spawn("gathering", () -> {
                List<Task<Void>> children = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    children.add(Async.spawn("child" + n, () -> {
                        try {
                            sleepMs(1000);
                        } finally {
                            trace.add("finally " + n);
                            // a shielded cleanup that awaits delays the gather's cancellation
                            CancelScope.shielded().run(() -> sleepMs(5 * n));
                            trace.add("cleaned " + n);
                        }
                    }));
                }
                try {
                    Async.gather(children);
                } catch (CancelledException c) {
                    trace.add("gather cancelled");
                    assertThat(children).allMatch(t -> t.state() == Task.State.CANCELLED);
                    throw c;
                }
            });
            sleepMs(10);
            gathering.cancel("test cancels the gather");
            assertThatThrownBy(gathering::join).isInstanceOf(CancelledException.class);
            assertThat(gathering.state()).isEqualTo(Task.State.CANCELLED);
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(25));
            return null;
        });
        assertThat(trace).containsExactly("finally 1", "finally 2", "finally 3",
                "cleaned 1", "cleaned 2", "cleaned 3", "gather cancelled");
    }

    /*
     * try:
     *     async with timeout(0.01):
     *         try: await sleep(1) finally: expect(2)
     * except TimeoutError: expect(3)
     */
    @Test
    void aTimeoutAroundASleepRunsTheCleanupThenRaisesTheTimeout() {
        test.run(() -> {
            e.expect(1);
            Timeout t = Timeout.after(Duration.ofMillis(10));
            try {
                t.run(() -> {
                    try {
                        sleepMs(1000);
                        e.unreached();
                    } finally {
                        e.expect(2);
                    }
                });
                e.unreached();
            } catch (TimeoutExpiredException ex) {
                e.expect(3);
                assertThat(ex).hasCauseInstanceOf(CancelledException.class);
                assertThat(t.expired()).isTrue();
                assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(10));
            }
            return null;
        });
        e.finish(4);
    }

    /* A timeout whose body ends in time is not an error, and never fires later. */
    @Test
    void aTimeoutThatDoesNotExpireReturnsTheBodysValue() {
        String r = test.run(() -> {
            String v = Async.withTimeout(Duration.ofMillis(50), () -> {
                sleepMs(10);
                return "in time";
            });
            sleepMs(100);
            return v;
        });
        assertThat(r).isEqualTo("in time");
    }

    /*
     * async def main():
     *     create_task(leftover()); await sleep(0); return 42
     * async def leftover():
     *     try: await sleep(3600) finally: expect(...)
     * asyncio.run(main()) == 42, leftover's finally ran before run() returned
     */
    @Test
    void runReturnsMainsResultAfterCancellingTheTasksLeftOver() {
        List<String> trace = new CopyOnWriteArrayList<>();
        int result = EventLoop.run(() -> {
            Async.spawn("leftover", () -> {
                try {
                    trace.add("leftover started");
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    trace.add("leftover cleaned up");
                }
            });
            Async.yieldNow();
            trace.add("main returns");
            return 42;
        });
        trace.add("run returned");
        assertThat(result).isEqualTo(42);
        assertThat(trace).containsExactly("leftover started", "main returns", "leftover cleaned up", "run returned");
    }

    /* The first failure of gather is raised as soon as it happens; the other tasks keep running (asyncio). */
    @Test
    void gatherRaisesTheFirstFailureAtOnceAndLeavesTheOthersRunning() {
        test.run(() -> {
            Task<String> slow = Async.spawn("slow", () -> { sleepMs(100); return "slow"; });
            Task<String> bad = Async.spawn("bad", () -> { sleepMs(10); throw new IOException("boom"); });
            assertThatThrownBy(() -> Async.gather(List.of(slow, bad)))
                    .isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(IOException.class)
                    .hasMessageContaining("'bad'");
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(10));
            assertThat(slow.join()).isEqualTo("slow");
            return null;
        });
    }

    /* Cancelling a task that joins another cancels the joined one too, and waits for it (asyncio's await task). */
    @Test
    void cancellingAJoinerCancelsTheTaskItAwaitsAndWaitsForItsCleanup() {
        List<String> trace = new CopyOnWriteArrayList<>();
        test.run(() -> {
            Task<Void> inner = Async.spawn("inner", () -> {
                try {
                    sleepMs(1000);
                } finally {
                    CancelScope.shielded().run(() -> sleepMs(5));
                    trace.add("inner cleaned");
                }
            });
            Task<Void> outer = Async.spawn("outer", () -> {
                try {
                    inner.join();
                } catch (CancelledException c) {
                    trace.add("outer cancelled");
                    throw c;
                }
            });
            sleepMs(10);
            outer.cancel();
            assertThatThrownBy(outer::join).isInstanceOf(CancelledException.class);
            assertThat(inner.state()).isEqualTo(Task.State.CANCELLED);
            return null;
        });
        assertThat(trace).containsExactly("inner cleaned", "outer cancelled");
    }

    /* shield(): the joiner stops waiting when cancelled, the shielded task runs on. */
    @Test
    void shieldKeepsTheAwaitedTaskRunningWhenTheAwaiterIsCancelled() {
        test.run(() -> {
            Task<String> work = Async.spawn("work", () -> { sleepMs(50); return "done"; });
            Task<String> waiter = Async.spawn("waiter", () -> Async.shield(work));
            sleepMs(10);
            waiter.cancel();
            assertThatThrownBy(waiter::join).isInstanceOf(CancelledException.class);
            assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(10));
            assertThat(work.join()).isEqualTo("done");
            return null;
        });
    }
}
