package dev.taskloop.bench;

import dev.taskloop.core.Async;
import dev.taskloop.core.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * W5 fan-out: a parent spawns {@value #CHILDREN} children that each sleep 1 ms and gathers them.
 * Score: ms per gather (the 1 ms sleep is its floor; the rest is spawning, timers and hand-offs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// The LOOP_CARRIER backend (-p backend=loop-carrier) builds its virtual threads through java.lang.
@Fork(jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class FanOutBenchmark {

    static final int CHILDREN = 1_000;
    private static final Duration NAP = Duration.ofMillis(1);

    @Benchmark
    public int gather1000(LoopState s) {
        int[] done = new int[1];
        int[] results = new int[1];
        s.runInTask(() -> {
            List<Task<Void>> kids = new ArrayList<>(CHILDREN);
            for (int c = 0; c < CHILDREN; c++) {
                kids.add(Async.spawn(null, () -> {
                    Async.sleep(NAP);
                    done[0]++;
                }));
            }
            results[0] = Async.gather(kids).size();
        });
        Checks.expect("results of the gather", CHILDREN, results[0]);
        return Checks.expect("children that slept and ended", CHILDREN, done[0]);
    }
}
