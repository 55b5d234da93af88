package dev.taskloop.core;

import static dev.taskloop.core.testing.VirtualTime.sleepMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The order in which a task's end becomes visible (see "Ending" in {@code TaskImpl}): the loop
 * counts it and stops listing it, its final state is published, the loop's listeners hear of it,
 * then its joiners wake; {@code close()} returns only after all of that, done callbacks included.
 */
class TaskEndTest {

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();

    /** Remembers every task spawned on a loop, so a listener can look at the task it is told of. */
    private static final class Seen implements LoopListener {
        final Map<Long, Task<?>> spawned = new ConcurrentHashMap<>();
        final List<String> told = new CopyOnWriteArrayList<>();
        volatile EventLoop loop;

        @Override
        public void taskSpawned(Task<?> task) {
            spawned.put(task.id(), task);
        }

        @Override
        public void taskEnded(TaskSnapshot s) {
            Task<?> t = spawned.get(s.id());
            told.add(s.name() + ": state " + t.state() + ", done " + t.isDone() + ", listed " + loop.tasks().contains(t)
                    + ", counted " + (loop.snapshot().completed() + loop.snapshot().failed() + loop.snapshot().cancelled()));
        }
    }

    @Test
    void aListenerToldOfAnEndSeesTheTaskEndedUnlistedAndCounted() {
        Seen seen = new Seen();
        TestLoop test = loops.create().listener(seen);
        seen.loop = test.loop();
        test.run(() -> {
            Async.spawn("quick", () -> "ok");
            Task<?> failing = Async.spawn("failing", () -> { throw new IllegalStateException("boom"); });
            Task<?> sleeper = Async.spawn("sleeper", () -> sleepMs(1000));
            sleepMs(1);
            sleeper.cancel();
            assertThatThrownBy(failing::join).isInstanceOf(TaskFailedException.class);
            assertThatThrownBy(sleeper::join).isInstanceOf(CancelledException.class);
            return null;
        });
        assertThat(seen.told).containsExactly(
                "quick: state COMPLETED, done true, listed false, counted 1",
                "failing: state FAILED, done true, listed false, counted 2",
                "sleeper: state CANCELLED, done true, listed false, counted 3",
                "main: state COMPLETED, done true, listed false, counted 4");
    }

    /*
     * The window behind "join() returned before its task ended": the final state is visible before
     * the end is announced, so a join that went by the state alone could return while listeners have
     * not heard of the end yet. A join waits for the announcement.
     */
    @Test
    void aJoinThatFindsTheStateFinalWaitsUntilTheEndHasBeenAnnounced() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean announced = new AtomicBoolean();
        TestLoop test = loops.create().listener(new LoopListener() {
            @Override
            public void taskEnded(TaskSnapshot task) {
                if (task.name().equals("slow-announcement")) {
                    try {
                        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    announced.set(true);
                }
            }
        });
        Task<String> t = test.loop().spawn("slow-announcement", () -> "done");
        await().atMost(Duration.ofSeconds(10)).until(t::isDone);
        assertThat(t.result()).isEqualTo("done"); // the state is final ...
        assertThatThrownBy(() -> t.join(Duration.ofMillis(20))).isInstanceOf(TimeoutExpiredException.class); // ... the end not announced
        release.countDown();
        assertThat(t.join(Duration.ofSeconds(10))).isEqualTo("done");
        assertThat(announced).isTrue();
    }

    @Test
    void closeReturnsOnlyOnceTheDoneCallbacksOfTheTasksItCancelledHaveRun() throws Exception {
        EventLoop loop = EventLoop.create();
        CountDownLatch started = new CountDownLatch(1);
        Task<Void> sleeper = loop.spawn("sleeper", () -> {
            started.countDown();
            Async.sleep(Duration.ofHours(1));
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        List<String> callbacks = new CopyOnWriteArrayList<>();
        sleeper.onDone(t -> callbacks.add("done callback: " + t.state()));
        // Holds the ending task in its completion listeners, after the done callback was queued.
        CountDownLatch closeReturned = new CountDownLatch(1);
        sleeper.toCompletableFuture().whenComplete((v, e) -> {
            try {
                closeReturned.await(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        loop.close();
        closeReturned.countDown();
        assertThat(callbacks).containsExactly("done callback: CANCELLED");
    }
}
