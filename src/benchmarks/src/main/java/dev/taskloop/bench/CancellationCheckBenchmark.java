package dev.taskloop.bench;

import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.TaskGroup;
import dev.taskloop.core.queue.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cancellation check of an await point, {@code depth} task groups deep: ns per
 * {@link Async#yieldNow()} of a task alone on its loop (its fast path is the check and nothing
 * else). Each level is a task running a {@link TaskGroup} whose one child runs the next level, so
 * the innermost task's scope chain is {@code 2 × depth} scopes long. The chain is built once per
 * trial; the innermost task then runs batches of yields on request. Flat over {@code depth} since
 * each scope keeps its effective cancellation (issue 19); it used to walk the chain to the root.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CancellationCheckBenchmark {

    static final int YIELDS = 100_000;

    @Param({"1", "100", "10000"})
    public int depth;

    private EventLoop loop;
    private Queue<CompletableFuture<Integer>> requests;
    private Task<Void> root;

    @Setup(Level.Trial)
    public void open() throws Exception {
        loop = EventLoop.builder().name("bench-cancel-check").build();
        requests = Queue.fifo("requests", Queue.UNBOUNDED);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        root = loop.spawn("level-1", () -> level(1, ready));
        ready.get(60, TimeUnit.SECONDS);
    }

    private void level(int i, CompletableFuture<Void> ready) {
        if (i == depth) {
            ready.complete(null);
            while (true) {
                CompletableFuture<Integer> r = requests.get();
                int n = 0;
                for (int k = 0; k < YIELDS; k++) {
                    Async.yieldNow();
                    n++;
                }
                r.complete(n);
            }
        }
        TaskGroup g = TaskGroup.create("level-" + i);
        g.run(() -> g.spawn("level-" + (i + 1), () -> level(i + 1, ready)));
    }

    @TearDown(Level.Trial)
    public void close() {
        root.cancel("benchmark over");
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public int yieldAtDepth() throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        requests.offer(done);
        return Checks.expect("yields", YIELDS, done.get(60, TimeUnit.SECONDS));
    }
}
