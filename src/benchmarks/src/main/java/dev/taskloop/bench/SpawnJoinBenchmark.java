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
 * W1 spawn+join: inside one task, spawn N no-op children, then join them all in order. Score: ns
 * per child task (its spawn, its one step, its end, and the join).
 *
 * <ul>
 *   <li>{@code spawnJoin200k}: N = {@value #TASKS}, W1 of {@code src/benchmarks/compare/compare.sh} (which runs it
 *       side by side with {@code src/benchmarks/compare/asyncio_workloads.py}). All 200,000 tasks are alive at once (the spawning step alone holds the baton for a
 *       few hundred ms, which the watchdog reports as a slow step), so young-generation GC
 *       copying them is part of the score.</li>
 *   <li>{@code spawnJoin10k}: N = {@value #FEW_TASKS}, the loop's per-task cost with little GC.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The LOOP_CARRIER backend (-p backend=loop-carrier) builds its virtual threads through java.lang.
@Fork(jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class SpawnJoinBenchmark {

    static final int TASKS = 200_000;
    static final int FEW_TASKS = 10_000;

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int spawnJoin200k(LoopState s) {
        return spawnJoin(s, TASKS);
    }

    @Benchmark
    @OperationsPerInvocation(FEW_TASKS)
    public int spawnJoin10k(LoopState s) {
        return spawnJoin(s, FEW_TASKS);
    }

    private static int spawnJoin(LoopState s, int n) {
        int[] ran = new int[1];
        s.runInTask(() -> {
            List<Task<Void>> children = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                children.add(Async.spawn("child", () -> {
                    ran[0]++; // plain int: only the baton holder runs
                }));
            }
            for (Task<Void> child : children) {
                child.join();
            }
        });
        return Checks.expect("children that ran", n, ran[0]);
    }
}
