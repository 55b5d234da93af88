package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's "join() returned before its task ended", hunted on real threads: tasks end in every
 * way (returned, failed, cancelled asleep, cancelled before they start) while tasks of the same
 * loop and of another loop join, gather and wait for them, a thread outside the loops joins them,
 * and listeners of both loops look at each task they are told of; every few rounds a loop is closed
 * while its tasks end. Nobody may ever see an end half done: whoever hears of an end, or returns
 * from waiting for one, sees the final state, the task unlisted and its end announced, and when
 * {@code close()} returns every done callback has run. (See "Ending" in {@code TaskImpl}; the
 * deterministic forms are {@code TaskEndTest}.)
 */
@Tag("stress")
class TaskEndStressTest {

    private static final int ROUNDS = 50_000;
    private static final int CLOSE_EVERY = 50;

    private final Map<Long, Task<?>> spawned = new ConcurrentHashMap<>();
    private final Set<Long> announced = ConcurrentHashMap.newKeySet();
    /** Who saw an end half done -> how often; and the first thing each of them saw. */
    private final Map<String, AtomicLong> violations = new ConcurrentHashMap<>();
    private final Queue<String> examples = new ConcurrentLinkedQueue<>();
    private final AtomicLong checks = new AtomicLong();

    /** Checks every task it is told of; remembers the ends it heard of. */
    private final class Watcher implements LoopListener {
        private final EventLoop loop;

        Watcher(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void taskSpawned(Task<?> task) {
            spawned.put(task.id(), task);
        }

        @Override
        public void taskEnded(TaskSnapshot s) {
            Task<?> t = spawned.remove(s.id());
            if (t == null || !t.isDone() || t.state() != s.state() || loop.tasks().contains(t)) {
                violation("listener", "listener told of the end of " + s.name() + " (" + s.state() + ") saw "
                        + (t == null ? "no task" : t.state() + (loop.tasks().contains(t) ? ", still listed" : "")));
            }
            announced.add(s.id());
            checks.incrementAndGet();
        }
    }

    private void violation(String who, String what) {
        if (violations.computeIfAbsent(who, k -> new AtomicLong()).incrementAndGet() == 1) {
            examples.add(what);
        }
    }

    /** What every waiter checks once its wait for {@code t} returned. */
    private void ended(Task<?> t, String by) {
        if (!t.isDone() || !announced.contains(t.id()) || t.loop().tasks().contains(t)) {
            violation(by, by + " returned for " + t.name() + " in state " + t.state() + (announced.contains(t.id()) ? "" : ", not announced")
                    + (t.loop().tasks().contains(t) ? ", still listed" : ""));
        }
        checks.incrementAndGet();
    }

    private static void joinQuietly(Task<?> t) {
        try {
            t.join();
        } catch (TaskFailedException | CancelledException expected) {
            // the target's own outcome
        }
    }

    /** Four targets on {@code home}, ending four ways; the sleeper is cancelled by a task of {@code other}. */
    private List<Task<?>> targets(EventLoop home, EventLoop other, AtomicInteger callbacks) {
        List<Task<?>> ts = new ArrayList<>();
        ts.add(home.spawn("returns", () -> "ok"));
        ts.add(home.spawn("fails", () -> {
            Async.yieldNow();
            throw new IllegalStateException("expected");
        }));
        Task<Void> sleeper = home.spawn("sleeper", () -> Async.sleep(Duration.ofHours(1)));
        ts.add(sleeper);
        Task<Void> never = home.spawn("never-starts", () -> { });
        never.cancel("before it starts");
        ts.add(never);
        other.spawn("canceller", () -> {
            Async.yieldNow();
            sleeper.cancel("by another loop");
        });
        for (Task<?> t : ts) {
            t.onDone(x -> callbacks.incrementAndGet());
        }
        return ts;
    }

    @Test
    void nobodySeesAnEndHalfDone() {
        long t0 = System.nanoTime();
        AtomicInteger callbacks = new AtomicInteger();
        int closedTasks = 0;
        int closedCallbacks = 0;
        try (EventLoopGroup g = EventLoopGroup.create("end", 2)) {
            EventLoop a = g.loop(0);
            EventLoop b = g.loop(1);
            a.addListener(new Watcher(a));
            b.addListener(new Watcher(b));
            for (int round = 0; round < ROUNDS; round++) {
                List<Task<?>> ts = targets(a, b, callbacks);
                List<Task<?>> waiters = new ArrayList<>();
                waiters.add(b.spawn("joiner-other-loop", () -> {
                    for (Task<?> t : ts) {
                        joinQuietly(t);
                        ended(t, "join on another loop");
                    }
                }));
                waiters.add(a.spawn("joiner-same-loop", () -> {
                    for (Task<?> t : ts) {
                        joinQuietly(t);
                        ended(t, "join on the same loop");
                    }
                }));
                waiters.add(b.spawn("gatherer", () -> {
                    for (Task<?> t : Async.gatherSettled(ts)) {
                        ended(t, "gatherSettled");
                    }
                }));
                waiters.add(b.spawn("waiter", () -> {
                    for (Task<?> t : Async.wait(ts, ReturnWhen.ALL_COMPLETED).done()) {
                        ended(t, "wait");
                    }
                }));
                for (Task<?> t : ts) {
                    joinQuietly(t);
                    ended(t, "join from a thread");
                }
                for (Task<?> w : waiters) {
                    w.join(); // a failed check inside fails here with its AssertionError as the cause
                }
                if (round % CLOSE_EVERY == 0) {
                    int[] counts = closeWhileTasksEnd(round);
                    closedTasks += counts[0];
                    closedCallbacks += counts[1];
                }
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("task-end stress: %d rounds, %d tasks ended, %d checks of an end, %d loops closed while %d tasks ended"
                + " (%d done callbacks run by then), %d ms; seen half done: %s%n", ROUNDS, announced.size(), checks.get(),
                ROUNDS / CLOSE_EVERY, closedTasks, closedCallbacks, ms, violations);
        assertThat(violations).as("someone saw an end half done; the first each saw: %s", examples).isEmpty();
        assertThat(callbacks.get()).as("every done callback of the targets ran").isEqualTo(ROUNDS * 4);
        assertThat(closedCallbacks).as("every done callback of a closed loop's tasks ran before close() returned").isEqualTo(closedTasks);
    }

    /** Closes a fresh loop while its tasks end by themselves and by the shutdown; returns {tasks, callbacks seen at close()}. */
    private int[] closeWhileTasksEnd(int round) {
        AtomicInteger callbacks = new AtomicInteger();
        EventLoop c = EventLoop.builder().name("closing-" + round).build();
        c.addListener(new Watcher(c));
        List<Task<?>> ts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            ts.add(c.spawn("t" + i, () -> {
                for (int k = 0; k < n; k++) {
                    Async.yieldNow();
                }
                if (n % 2 == 0) {
                    Async.sleep(Duration.ofHours(1));
                }
            }));
        }
        for (Task<?> t : ts) {
            t.onDone(x -> callbacks.incrementAndGet());
        }
        c.close();
        int seen = callbacks.get();
        for (Task<?> t : ts) {
            if (!t.isDone() || !announced.contains(t.id())) {
                violation("close()", "close() returned before " + t.name() + " of " + c.name() + " ended: " + t.state());
            }
        }
        return new int[] {ts.size(), seen};
    }
}
