package dev.taskloop.bench;

import dev.taskloop.core.Admission;
import dev.taskloop.core.AsyncRunnable;
import dev.taskloop.core.Backend;
import dev.taskloop.core.EventLoop;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@link EventLoop} per trial, shared by the benchmark methods of a class.
 *
 * <p>{@code measure} switches the loop's time accounting <em>and</em> its watchdog together, so
 * the difference between {@code measure=true} and {@code measure=false} is the whole cost of
 * observing the loop (DESIGN §3: "measuring must stay cheap").
 */
@State(Scope.Benchmark)
public class LoopState {

    /** {@code true}: {@code measure(true).watchdog(true)} (the default); {@code false}: both off. */
    @Param({"true", "false"})
    public boolean measure;

    /** The loop's {@link Backend}, by its property value: {@code -p backend=virtual-threads,loop-carrier}. */
    @Param({"virtual-threads", "loop-carrier"})
    public String backend;

    public EventLoop loop;

    /**
     * Room for every task a benchmark holds at once ({@code SpawnJoinBenchmark.spawnJoin200k} and the
     * comparison's W1 spawn 200,000 before they join one, its W4 keeps 100,000 asleep): under the
     * default limit of 100,000 live tasks ({@link Admission#DEFAULT}) the spawns would wait for others
     * to end, and the benchmark would measure admission control.
     */
    public static final Admission ROOM = new Admission(Integer.MAX_VALUE, Duration.ZERO, Admission.Mode.WAIT);

    @Setup(Level.Trial)
    public void open() {
        loop = EventLoop.builder()
                .name("bench-" + (measure ? "measured" : "unmeasured"))
                .measure(measure)
                .watchdog(measure)
                .backend(Backend.parse("backend", backend))
                .admission(ROOM)
                .build();
    }

    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }

    /**
     * Runs {@code body} as one task on the loop and waits for it from the (non-loop) JMH thread.
     * The cost of this one spawn and blocking join is spread over the thousands of operations
     * that {@code body} performs.
     */
    public void runInTask(AsyncRunnable<?> body) {
        loop.spawn("bench-main", body).join();
    }
}
