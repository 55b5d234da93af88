package dev.taskloop.bench;

import dev.taskloop.core.Async;
import dev.taskloop.core.Task;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Ping-pong through the baton: two tasks on one loop, each calling {@link Async#yieldNow()}
 * {@value #ROUND_TRIPS} times and nothing else, while their parent sleeps in {@code join}; so
 * the baton goes A, B, A, B... Score: ns per round trip (both tasks ran once: two hand-offs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PingPongBenchmark {

    static final int ROUND_TRIPS = 200_000;

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int pingPong(LoopState s) {
        int[] steps = new int[1];
        s.runInTask(() -> {
            Task<Void> ping = Async.spawn("ping", () -> {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    steps[0]++;
                    Async.yieldNow();
                }
            });
            Task<Void> pong = Async.spawn("pong", () -> {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    steps[0]++;
                    Async.yieldNow();
                }
            });
            ping.join();
            pong.join();
        });
        return Checks.expect("ping and pong steps", 2 * ROUND_TRIPS, steps[0]);
    }
}
