package dev.taskloop.core;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.spi.AdmissionSnapshot;
import dev.taskloop.core.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Admission control: a live-task limit and a lag SLO, with spawns that wait, fail or are shed. */
class AdmissionTest {

    private static TestLoop testLoop(int max, Admission.Mode mode) {
        return TestLoop.create(EventLoop.builder().name("admission").admission(new Admission(max, Duration.ZERO, mode)));
    }

    private static void sleepers(EventLoop loop, int n) {
        for (int i = 0; i < n; i++) {
            loop.spawn("sleeper-" + i, () -> Async.sleep(Duration.ofDays(1)));
        }
    }

    @Test
    void overTheLimitAFailingLoopRejectsTheSpawnNamingTheLimit() {
        try (TestLoop test = testLoop(3, Admission.Mode.FAIL)) {
            sleepers(test.loop(), 3);
            assertThatThrownBy(() -> test.loop().spawn("one-too-many", () -> { }))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessage("event loop 'admission' is over its admission limit (3 live tasks of at most 3); task 'one-too-many'"
                            + " rejected: spawn fewer tasks, raise the limit, or choose Admission.Mode.WAIT to make spawners wait");
            AdmissionSnapshot a = test.loop().snapshot().admission();
            assertThat(a.rejected()).isEqualTo(1);
            assertThat(a.maxTasks()).isEqualTo(3);
            assertThat(a.mode()).isEqualTo("FAIL");
        }
    }

    @Test
    void overTheLimitASheddingLoopReturnsACancelledTaskThatNeverRuns() {
        try (TestLoop test = testLoop(2, Admission.Mode.SHED)) {
            sleepers(test.loop(), 2);
            AtomicInteger ran = new AtomicInteger();
            Task<?> t = test.loop().spawn("dropped", ran::incrementAndGet);
            test.runCurrent();
            assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
            assertThatThrownBy(t::join).isInstanceOf(CancelledException.class).hasMessageContaining("shed by admission control");
            assertThat(ran).hasValue(0);
            assertThat(test.loop().snapshot().admission().shed()).isEqualTo(1);
            assertThat(test.loop().snapshot().liveTasks()).isEqualTo(2);
        }
    }

    @Test
    void aSpawningTaskWaitsForRoomAndTheLimitIsNeverExceeded() {
        try (TestLoop test = testLoop(4, Admission.Mode.WAIT)) {
            AtomicInteger live = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            int total = test.run(() -> {
                List<Task<Void>> all = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    all.add(Async.spawn("worker-" + i, () -> {
                        peak.accumulateAndGet(live.incrementAndGet(), Math::max);
                        try {
                            Async.sleep(Duration.ofMillis(10));
                        } finally {
                            live.decrementAndGet();
                        }
                    }));
                }
                Async.gather(all);
                return all.size();
            });
            assertThat(total).isEqualTo(20);
            assertThat(peak.get()).as("live workers (main is the fourth... fifth task)").isLessThanOrEqualTo(3);
            assertThat(test.loop().snapshot().admission().waited()).isGreaterThan(0);
        }
    }

    @Test
    void aThreadOutsideTheLoopBlocksUntilATaskEnds() throws Exception {
        try (EventLoop loop = EventLoop.builder().admission(new Admission(1, Duration.ZERO, Admission.Mode.WAIT)).build()) {
            CompletableFuture<Void> release = new CompletableFuture<>();
            loop.spawn("holder", () -> { Async.await(release); });
            CountDownLatch spawned = new CountDownLatch(1);
            Thread outside = Thread.ofPlatform().start(() -> {
                loop.spawn("late", () -> { }).join();
                spawned.countDown();
            });
            assertThat(spawned.await(200, TimeUnit.MILLISECONDS)).as("spawn waits while the loop is full").isFalse();
            assertThat(loop.snapshot().admission().waiting()).isEqualTo(1);
            release.complete(null);
            assertThat(spawned.await(10, TimeUnit.SECONDS)).isTrue();
            outside.join();
        }
    }

    @Test
    void aSpawnWaitingForRoomCanBeCancelled() {
        try (TestLoop test = testLoop(2, Admission.Mode.WAIT)) {
            Task<Void> spawner = test.loop().spawn("spawner", () -> {
                Async.spawn("blocker", () -> Async.sleep(Duration.ofDays(1)));
                Async.spawn("never-admitted", () -> { });
            });
            test.runCurrent();
            assertThat(spawner.snapshot().awaiting().kind()).isEqualTo("spawn");
            spawner.cancel("give up");
            test.runCurrent();
            assertThat(spawner.state()).isEqualTo(Task.State.CANCELLED);
            assertThat(test.loop().snapshot().admission().waiting()).isZero();
        }
    }

    @Test
    void taskGroupChildrenAreAdmittedToo() {
        try (TestLoop test = testLoop(2, Admission.Mode.FAIL)) {
            test.run(() -> {
                TaskGroup g = TaskGroup.create("g");
                assertThatThrownBy(() -> g.run(() -> {
                    g.spawn("first", () -> Async.sleep(Duration.ofMillis(5)));
                    g.spawn("second", () -> Async.sleep(Duration.ofMillis(5)));
                })).isInstanceOf(TaskGroupException.class).rootCause().isInstanceOf(RejectedExecutionException.class);
                return null;
            });
        }
    }

    @Test
    void closingTheLoopRejectsTheSpawnsThatWait() throws Exception {
        EventLoop loop = EventLoop.builder().admission(new Admission(1, Duration.ZERO, Admission.Mode.WAIT)).build();
        loop.spawn("holder", () -> Async.sleep(Duration.ofDays(1)));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                loop.spawn("waiting", () -> { });
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Awaitility.await("the other thread waits in spawn for admission").atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> loop.snapshot().admission().waiting() > 0);
        loop.close();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("closed");
    }

    @Test
    void aLoopOverItsLagSloIsOverloadedUntilTheLagRecovers() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("slo")
                .admission(new Admission(1_000, Duration.ofMillis(5), Admission.Mode.FAIL)).build()) {
            CompletableFuture<Void> stop = new CompletableFuture<>();
            // Four tasks that compute 20 ms between yields: each waits ~60 ms for the baton every round.
            for (int i = 0; i < 4; i++) {
                loop.spawn("hog-" + i, () -> {
                    while (!stop.isDone()) {
                        long until = System.nanoTime() + 20_000_000;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        Async.yieldNow();
                    }
                });
            }
            awaitOverloaded(loop, true, "overloaded under load");
            assertThatThrownBy(() -> loop.spawn("rejected", () -> { }))
                    .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("lag p99 over its SLO of 5 ms");
            stop.complete(null);
            awaitOverloaded(loop, false, "recovered once the load stopped");
            loop.spawn("admitted", () -> { }).join();
        }
    }

    /** The watchdog updates the flag every quarter second: poll it, bounded. */
    private static void awaitOverloaded(EventLoop loop, boolean expected, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> loop.snapshot().admission().overloaded() == expected);
    }
}
