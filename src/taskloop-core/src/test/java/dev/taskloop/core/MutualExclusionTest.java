package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The baton gives asyncio's guarantee: code between two await points runs alone, so a plain field
 * needs no lock as long as a read-modify-write has no await point inside it. The tests run on a
 * real loop (system ticker) with tasks spawned from the test thread while earlier tasks already
 * run, so submission from outside races with the loop.
 */
class MutualExclusionTest {

    private static final int TASKS = 1_000;
    private static final int INCREMENTS = 1_000;
    private static final Duration BOUND = Duration.ofSeconds(30);

    /** Deliberately a plain field: no volatile, no atomic, no lock. Only the baton protects it. */
    private int counter;

    private EventLoop loop;

    @BeforeEach
    void openLoop() {
        loop = EventLoop.builder().name("mutex").build();
    }

    @AfterEach
    void closeLoop() {
        loop.shutdown(Duration.ofSeconds(10));
    }

    @Test
    void aThousandTasksEachIncrementingAPlainIntAThousandTimesBetweenYieldsEndWithExactlyAMillion() {
        List<Task<Void>> tasks = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            tasks.add(loop.spawn("incrementer-" + i, () -> {
                for (int n = 0; n < INCREMENTS; n++) {
                    counter = counter + 1; // read-modify-write with no await point inside
                    Async.yieldNow();      // then let every other ready task run
                }
            }));
        }
        for (Task<Void> t : tasks) {
            t.join(BOUND);
        }

        assertThat(counter).isEqualTo(TASKS * INCREMENTS);
    }

    @Test
    void readingYieldingThenWritingLosesUpdatesBecauseOtherTasksRunAtTheYield() {
        // The control experiment: the same program with the await point *inside* the
        // read-modify-write. If it did not lose updates, the tasks would not really interleave at
        // yieldNow() and the first test would prove nothing.
        int tasks = 100;
        int increments = 100;
        AtomicInteger started = new AtomicInteger();
        Task<Void> main = loop.spawn("spawner", () -> {
            List<Task<Void>> children = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                children.add(Async.spawn("lossy-" + i, () -> {
                    started.incrementAndGet();
                    for (int n = 0; n < increments; n++) {
                        int v = counter;
                        Async.yieldNow(); // every other task reads the same v meanwhile
                        counter = v + 1;
                    }
                }));
            }
            Async.gather(children);
        });
        main.join(BOUND);

        assertThat(started).hasValue(tasks);
        assertThat(counter)
                .as("read, yieldNow(), write by %d interleaved tasks must lose updates", tasks)
                .isLessThan(tasks * increments)
                .isPositive();
    }

    @Test
    void noTwoTasksOfTheLoopAreEverBetweenTheSameTwoAwaitPointsAtOnce() {
        // The same guarantee seen from the threads: each task is its own virtual thread, yet at
        // most one of them is ever inside the section between two await points.
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger sections = new AtomicInteger();
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tasks.add(loop.spawn("section-" + i, () -> {
                for (int n = 0; n < 200; n++) {
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    Thread.onSpinWait(); // widen the window a little
                    sections.incrementAndGet();
                    inside.decrementAndGet();
                    Async.yieldNow();
                }
            }));
        }
        for (Task<Void> t : tasks) {
            t.join(BOUND);
        }

        assertThat(sections).hasValue(200 * 200);
        assertThat(maxInside).as("tasks inside a section at the same time").hasValue(1);
    }
}
