package dev.taskloop.bench;

import dev.taskloop.core.Async;
import dev.taskloop.core.Task;
import dev.taskloop.core.queue.Queue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Two tasks on one loop pass the baton back and forth while their parent sleeps in {@code join};
 * score: ns per round trip (each task ran once: two hand-offs).
 * <ul>
 *   <li>{@code queuePingPong}: W2 of the benchmark issue: a token goes there and back through two
 *       bounded {@link Queue}s of capacity 1 (the waits are the queues' {@code get}s).</li>
 *   <li>{@code yieldPingPong}: the bare hand-off: each task calls {@link Async#yieldNow()}.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The LOOP_CARRIER backend (-p backend=loop-carrier) builds its virtual threads through java.lang.
@Fork(jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class PingPongBenchmark {

    static final int ROUND_TRIPS = 200_000;

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int queuePingPong(LoopState s) {
        Queue<Integer> there = Queue.fifo("there", 1);
        Queue<Integer> back = Queue.fifo("back", 1);
        int[] returned = new int[1];
        s.runInTask(() -> {
            Task<Void> ping = Async.spawn("ping", () -> {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    there.put(i);
                    if (back.get() != i) {
                        throw new IllegalStateException("token " + i + " came back wrong");
                    }
                    returned[0]++;
                }
            });
            Task<Void> pong = Async.spawn("pong", () -> {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    back.put(there.get());
                }
            });
            ping.join();
            pong.join();
        });
        return Checks.expect("round trips", ROUND_TRIPS, returned[0]);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int yieldPingPong(LoopState s) {
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
