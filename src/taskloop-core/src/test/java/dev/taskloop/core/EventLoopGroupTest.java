package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.spi.LoopGroupSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventLoopGroupTest {

    @Test
    void loopsAreNamedAfterTheGroupAndTasksArePlacedRoundRobin() {
        try (EventLoopGroup g = EventLoopGroup.create("workers", 3)) {
            assertThat(g.loops()).extracting(EventLoop::name).containsExactly("workers-0", "workers-1", "workers-2");
            List<String> placed = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                placed.add(g.spawn("t" + i, () -> Task.current().loop().name()).join());
            }
            assertThat(placed).containsExactly("workers-0", "workers-1", "workers-2", "workers-0", "workers-1", "workers-2");
            assertThat(g.loop("workers-2")).isSameAs(g.loop(2));
        }
    }

    @Test
    void childrenStayOnTheirParentsLoop() {
        try (EventLoopGroup g = EventLoopGroup.create("family", 4)) {
            List<String> loops = g.loop(3).spawn("parent", () -> {
                List<Task<String>> kids = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    kids.add(Async.spawn("kid" + i, () -> Task.current().loop().name()));
                }
                List<String> out = new ArrayList<>(Async.gather(kids));
                TaskGroup tg = TaskGroup.create("tg");
                out.add(tg.call(() -> tg.spawn("grandkid", () -> Task.current().loop().name()).join()));
                return out;
            }).join();
            assertThat(loops).hasSize(6).containsOnly("family-3");
        }
    }

    @Test
    void eachLoopKeepsMutualExclusionForItsOwnTasksWhileLoopsRunInParallel() {
        int loops = 4;
        int tasksPerLoop = 50;
        int rounds = 200;
        try (EventLoopGroup g = EventLoopGroup.create("mutex", loops)) {
            int[] counters = new int[loops];
            AtomicInteger[] running = new AtomicInteger[loops];
            AtomicInteger overlaps = new AtomicInteger();
            for (int l = 0; l < loops; l++) {
                running[l] = new AtomicInteger();
            }
            List<Task<Void>> all = new ArrayList<>();
            for (int l = 0; l < loops; l++) {
                int li = l;
                for (int t = 0; t < tasksPerLoop; t++) {
                    all.add(g.loop(l).spawn("inc", () -> {
                        for (int r = 0; r < rounds; r++) {
                            Async.yieldNow();
                            if (running[li].incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            int v = counters[li]; // plain read-modify-write between two await points:
                            Thread.onSpinWait(); // safe only if no other task of this loop runs meanwhile
                            counters[li] = v + 1;
                            running[li].decrementAndGet();
                        }
                    }));
                }
            }
            for (Task<Void> t : all) {
                t.join(Duration.ofMinutes(1));
            }
            assertThat(overlaps.get()).as("two tasks of one loop ran at once").isZero();
            int[] seen = new int[loops];
            for (int l = 0; l < loops; l++) {
                int li = l;
                seen[l] = g.loop(l).spawn("read", () -> counters[li]).join(); // read on the loop that wrote it
            }
            assertThat(seen).containsOnly(tasksPerLoop * rounds);
        }
    }

    @Test
    void theGroupSnapshotHasEveryLoopAndTheirTotals() {
        try (EventLoopGroup g = EventLoopGroup.create("stats", 2)) {
            for (int i = 0; i < 4; i++) {
                g.spawn("t" + i, () -> "done").join();
            }
            Task<Void> failing = g.spawn("bad", () -> {
                throw new IllegalStateException("boom");
            });
            assertThatThrownBy(failing::join).isInstanceOf(TaskFailedException.class);
            LoopGroupSnapshot s = g.snapshot();
            assertThat(s.name()).isEqualTo("stats");
            assertThat(s.loops()).extracting(l -> l.name()).containsExactly("stats-0", "stats-1");
            assertThat(s.spawned()).isEqualTo(5);
            assertThat(s.completed()).isEqualTo(4);
            assertThat(s.failed()).isEqualTo(1);
            assertThat(s.loops().get(0).spawned() + s.loops().get(1).spawned()).isEqualTo(5);
            assertThat(s.steps()).isEqualTo(s.loops().get(0).steps() + s.loops().get(1).steps());
            assertThat(s.utilization()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void badArgumentsAndMisuseFailClearly() {
        assertThatThrownBy(() -> EventLoopGroup.create("g", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event loop group 'g' needs at least 1 loop, but got 0");
        try (EventLoopGroup g = EventLoopGroup.create("g", 2)) {
            assertThatThrownBy(() -> g.loop(2)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("event loop group 'g' has loops 0..1, but loop 2 was asked for");
            assertThatThrownBy(() -> g.loop("nope")).hasMessageContaining("has no loop named 'nope'; its loops are [g-0, g-1]");
            Task<Void> t = g.loop(0).spawn("closer", g::close);
            assertThatThrownBy(t::join).hasCauseInstanceOf(IllegalStateException.class)
                    .cause().hasMessageContaining("cannot be closed from its own task 'closer'");
        }
    }

    @Test
    void closingTheGroupClosesEveryLoopAndCancelsTheirTasks() {
        EventLoopGroup g = EventLoopGroup.create("closing", 3, EventLoop.builder().shutdownTimeout(Duration.ofSeconds(10)));
        List<Task<Void>> sleepers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sleepers.add(g.spawn("sleeper", () -> Async.sleep(Duration.ofDays(1))));
        }
        g.close();
        assertThat(g.isClosed()).isTrue();
        assertThat(sleepers).allMatch(t -> t.state() == Task.State.CANCELLED);
    }
}
