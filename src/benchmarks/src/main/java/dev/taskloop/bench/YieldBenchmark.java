package dev.taskloop.bench;

import dev.taskloop.core.Async;
import dev.taskloop.core.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * W3 {@link Async#yieldNow()}: ns per yield of one measured task.
 * <ul>
 *   <li>{@code alone}: nothing else is ready, so every yield is the fast path (asyncio's
 *       {@code sleep(0)} still goes round the loop; Taskloop's returns at once).</li>
 *   <li>{@code with10Others}: ten more tasks yield in a loop until the measured task is done, so
 *       each of its yields waits for the ten others to take one step each: eleven hand-offs.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The LOOP_CARRIER backend (-p backend=loop-carrier) builds its virtual threads through java.lang.
@Fork(jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class YieldBenchmark {

    static final int ALONE_YIELDS = 1_000_000;
    static final int CROWDED_YIELDS = 20_000;
    static final int OTHERS = 10;

    @Benchmark
    @OperationsPerInvocation(ALONE_YIELDS)
    public int alone(LoopState s) {
        int[] yields = new int[1];
        s.runInTask(() -> {
            for (int i = 0; i < ALONE_YIELDS; i++) {
                Async.yieldNow();
                yields[0]++;
            }
        });
        return Checks.expect("yields", ALONE_YIELDS, yields[0]);
    }

    @Benchmark
    @OperationsPerInvocation(CROWDED_YIELDS)
    public int with10Others(LoopState s) {
        int[] yields = new int[1];
        boolean[] done = new boolean[1];
        s.runInTask(() -> {
            List<Task<Void>> others = new ArrayList<>(OTHERS);
            for (int i = 0; i < OTHERS; i++) {
                others.add(Async.spawn("other-" + i, () -> {
                    while (!done[0]) { // plain field: written and read only by baton holders
                        Async.yieldNow();
                    }
                }));
            }
            Task<Void> measured = Async.spawn("measured", () -> {
                for (int i = 0; i < CROWDED_YIELDS; i++) {
                    Async.yieldNow();
                    yields[0]++;
                }
                done[0] = true;
            });
            measured.join();
            for (Task<Void> other : others) {
                other.join();
            }
        });
        return Checks.expect("yields of the measured task", CROWDED_YIELDS, yields[0]);
    }
}
