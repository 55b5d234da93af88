package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.spi.Awaiting;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.core.testing.EndedTasks;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In virtual time the awake / asleep / waiting split of every task, and the loop's figures, are exact. */
class AccountingTest {

    private static final long MS = 1_000_000;

    private final EndedTasks ended = new EndedTasks();
    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create().listener(ended);

    private TaskSnapshot endedTask(String name) {
        return ended.named(name);
    }

    /*
     * t=0    main spawns "hog" and "worker" and ends
     * 0-50   hog computes 50 ms                     worker waits for the baton (50)
     * 50-70  worker computes 20 ms, sleeps 30 ms    (x3: awake 60, asleep 90)
     * ...    ends at t=200
     */
    @Test
    void aScriptedTaskBehindAnotherTasksStepHasExactAwakeAsleepAndWaitingTimes() {
        test.loop().spawn("main", () -> {
            Async.spawn("hog", () -> test.ticker().advance(Duration.ofMillis(50)));
            Async.spawn("worker", () -> {
                for (int i = 0; i < 3; i++) {
                    test.ticker().advance(Duration.ofMillis(20));
                    Async.sleep(Duration.ofMillis(30));
                }
            });
        });
        test.advanceUntilIdle();

        TaskSnapshot worker = endedTask("worker");
        assertThat(worker.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(worker.awakeNanos()).isEqualTo(60 * MS);
        assertThat(worker.asleepNanos()).isEqualTo(90 * MS);
        assertThat(worker.waitingNanos()).isEqualTo(50 * MS);
        assertThat(worker.steps()).isEqualTo(4);
        assertThat(worker.endedAt() - worker.spawnedAt()).isEqualTo(200 * MS);

        TaskSnapshot hog = endedTask("hog");
        assertThat(hog.awakeNanos()).isEqualTo(50 * MS);
        assertThat(hog.asleepNanos()).isZero();
        assertThat(hog.waitingNanos()).isZero();

        LoopSnapshot loop = test.loop().snapshot();
        assertThat(loop.busyNanos()).isEqualTo(110 * MS);
        assertThat(loop.elapsedNanos()).isEqualTo(200 * MS);
        assertThat(loop.utilization()).isEqualTo(0.55);
        assertThat(loop.lag().maxNanos()).isEqualTo(50 * MS);
        assertThat(loop.lag().totalNanos()).isEqualTo(50 * MS);
        assertThat(loop.completed()).isEqualTo(3);
        assertThat(loop.liveTasks()).isZero();
    }

    /* A live snapshot includes the segment in progress, and says what the task waits on. */
    @Test
    void aLiveSnapshotCountsTheCurrentSegmentAndNamesWhatTheTaskAwaits() {
        long start = test.ticker().read();
        Task<Void> sleeper = test.loop().spawn("sleeper", () -> Async.sleep(Duration.ofSeconds(10)));
        // Too long for a deadline on this clock: no timer, and it is described all the same.
        Task<Void> forever = test.loop().spawn("forever", () -> Async.sleep(Duration.ofNanos(Long.MAX_VALUE)));
        test.advanceTimeBy(Duration.ofSeconds(4));

        TaskSnapshot s = sleeper.snapshot();
        assertThat(s.state()).isEqualTo(Task.State.ASLEEP);
        assertThat(s.asleepNanos()).isEqualTo(4_000 * MS);
        assertThat(s.awaiting()).isNotNull();
        assertThat(s.awaiting().kind()).isEqualTo("sleep");
        assertThat(s.awaiting().target()).isEqualTo("10 s");
        assertThat(s.awaiting().since()).isEqualTo(start);
        Awaiting f = forever.snapshot().awaiting();
        assertThat(f.kind()).isEqualTo("sleep");
        assertThat(f.target()).isEqualTo("forever");
        assertThat(f.since()).isEqualTo(start);
        forever.cancel("done");
        assertThat(s.loop()).isEqualTo("test");
        assertThat(s.cancelRequested()).isFalse();

        sleeper.cancel("operator");
        test.runCurrent();
        TaskSnapshot done = sleeper.snapshot();
        assertThat(done.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(done.cancelReason().message()).contains("operator");
        assertThat(done.asleepNanos()).isEqualTo(4_000 * MS);
    }

    /* Time spent in offload() is asleep, not awake: the baton was free meanwhile. */
    @Test
    void offloadedTimeCountsAsAsleep() throws Exception {
        Task<String> t = test.loop().spawn("offloader", () -> Async.offload(() -> {
            test.ticker().advance(Duration.ofMillis(70)); // the blocking call "takes" 70 ms
            return "io";
        }));
        test.runCurrent();
        assertThat(t.join()).isEqualTo("io");
        TaskSnapshot s = endedTask("offloader");
        assertThat(s.asleepNanos()).isEqualTo(70 * MS);
        assertThat(s.awakeNanos()).isZero();
        assertThat(test.loop().snapshot().offloads()).isZero();
    }

    /* A lag observer sees every step's lag, and a window between two snapshots holds only the steps in it. */
    @Test
    void lagObserversSeeEveryStepAndWindowsSeeOnlyTheirOwnSteps() {
        List<Long> lags = new CopyOnWriteArrayList<>();
        test.loop().addListener(new LoopListener() {
            @Override
            public java.util.function.LongConsumer lagObserver() {
                return lags::add;
            }
        });
        test.loop().spawn("main", () -> {
            Async.spawn("hog", () -> test.ticker().advance(Duration.ofMillis(40)));
            Async.spawn("behind", () -> { });
        });
        test.advanceUntilIdle();
        LoopSnapshot before = test.loop().snapshot();
        assertThat(lags).contains(40 * MS);
        test.loop().spawn("main2", () -> {
            Async.spawn("hog2", () -> test.ticker().advance(Duration.ofMillis(7)));
            Async.spawn("behind2", () -> { });
        });
        test.advanceUntilIdle();
        var window = test.loop().snapshot().lag().since(before.lag());
        assertThat(window.count()).isEqualTo(3); // main2, hog2, behind2
        assertThat(window.maxNanos()).isBetween(7 * MS, 8 * MS); // the 40 ms lag is outside the window
        assertThat(before.lag().maxNanos()).isEqualTo(40 * MS);
    }

    /* With measurement off, nothing is accounted (the benchmarks compare both). */
    @Test
    void measurementCanBeTurnedOff() {
        try (TestLoop quiet = TestLoop.create(EventLoop.builder().name("quiet").measure(false))) {
            Task<Void> t = quiet.loop().spawn("t", () -> {
                quiet.ticker().advance(Duration.ofMillis(5));
                Async.sleep(Duration.ofMillis(5));
            });
            quiet.advanceUntilIdle();
            assertThat(t.isDone()).isTrue();
            assertThat(t.snapshot().awakeNanos()).isZero();
            assertThat(quiet.loop().snapshot().busyNanos()).isZero();
            assertThat(t.snapshot().steps()).isEqualTo(2);
        }
    }
}
