package dev.taskloop.bench;

import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.EventLoopGroup;
import dev.taskloop.core.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 3, done-when 5: CPU-heavy tasks on a group of 1 loop versus 4 loops. One loop has one
 * baton, so its tasks compute one at a time on one core; four loops compute in parallel on as many
 * cores as the machine has (2 here), so the batch should take about half as long. Each operation
 * spawns {@link #TASKS} tasks round-robin over the group, each computing {@link #CHUNKS} chunks of
 * {@link #WORK} xorshift rounds with a {@code yieldNow()} between chunks (a cooperative CPU task),
 * and waits for all of them. Reported: milliseconds per batch; the speedup is the ratio of the two.
 *
 * <p>{@code ./mvnw -Pbench verify} runs it with the other benchmarks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// The LOOP_CARRIER backend (-p backend=loop-carrier) builds its virtual threads through java.lang.
@Fork(jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class LoopGroupBenchmark {

    static final int TASKS = 16;
    static final int CHUNKS = 20;
    static final int WORK = 50_000;

    @Param({"1", "4"})
    public int loops;

    /** The loops' {@link dev.taskloop.core.Backend}, by its property value. */
    @Param({"virtual-threads", "loop-carrier"})
    public String backend;

    private EventLoopGroup group;

    @Setup(Level.Trial)
    public void start() {
        group = EventLoopGroup.create("bench", loops, EventLoop.builder().watchdog(false).backend(dev.taskloop.core.Backend.parse("backend", backend)));
    }

    @TearDown(Level.Trial)
    public void stop() {
        group.close();
    }

    @Benchmark
    public long cpuHeavyTasks() {
        List<Task<Long>> ts = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            long seed = i + 1;
            ts.add(group.spawn("cpu-" + i, () -> {
                long x = seed;
                for (int c = 0; c < CHUNKS; c++) {
                    for (int k = 0; k < WORK; k++) {
                        x ^= x << 13;
                        x ^= x >>> 7;
                        x ^= x << 17;
                    }
                    Async.yieldNow();
                }
                return x;
            }));
        }
        long sum = 0;
        for (Task<Long> t : ts) {
            sum += t.join(Duration.ofMinutes(1));
        }
        return sum;
    }
}
