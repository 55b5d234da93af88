package dev.taskloop.core.queue;

import static dev.taskloop.core.LincheckSupport.bounded;
import static dev.taskloop.core.LincheckSupport.onLoop;

import dev.taskloop.core.LincheckSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck (3.7, on JDK 25) for a bounded {@link Queue}, through its public API.
 * <ul>
 *   <li>{@link NonWaiting}: the operations any thread may call ({@code offer}, {@code poll},
 *       {@code size}, {@code taskDone}, {@code unfinished}, {@code shutdown}, {@code shutdown(true)}),
 *       model-checked (every interleaving of the scenario's shared-memory events, bounded) and
 *       stress-tested, against the queue itself run sequentially.</li>
 *   <li>{@link Waiting}: {@code put} and {@code get}, run as tasks on two loops so that they really
 *       wait and hand items across loops, mixed with {@code offer}/{@code poll}/{@code shutdown};
 *       stress mode only (model checking cannot drive the loop's virtual threads and real-time
 *       timeouts), against {@link Model}.</li>
 * </ul>
 */
@Param(name = "item", gen = IntGen.class, conf = "1:9")
class QueueLincheckTest {

    @AfterAll
    static void closeLoops() {
        LincheckSupport.close();
    }

    @Test
    void theNonWaitingOperationsAreLinearizableUnderModelChecking() {
        new ModelCheckingOptions().iterations(8).invocationsPerIteration(150).threads(3).actorsPerThread(3).check(NonWaiting.class);
    }

    @Test
    @Tag("stress")
    void theNonWaitingOperationsAreLinearizableUnderStress() {
        new StressOptions().iterations(30).invocationsPerIteration(1000).threads(3).actorsPerThread(3).check(NonWaiting.class);
    }

    @Test
    void putAndGetWaitingOnTwoLoopsAreLinearizableUnderStress() {
        new StressOptions().iterations(15).invocationsPerIteration(30).threads(2).actorsPerThread(3)
                .sequentialSpecification(Model.class).check(Waiting.class);
    }

    @Test
    @Tag("stress")
    void putAndGetWaitingOnTwoLoopsAreLinearizableUnderLongStress() {
        new StressOptions().iterations(200).invocationsPerIteration(200).threads(3).actorsPerThread(3)
                .sequentialSpecification(Model.class).check(Waiting.class);
    }

    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class NonWaiting {
        private final Queue<Integer> q = Queue.fifo("q", 2);

        @Operation
        public boolean offer(@Param(name = "item") int item) {
            return q.offer(item);
        }

        @Operation
        public Integer poll() {
            return q.poll();
        }

        @Operation
        public int size() {
            return q.size();
        }

        @Operation
        public void taskDone() {
            q.taskDone();
        }

        @Operation
        public int unfinished() {
            return q.unfinished();
        }

        @Operation(nonParallelGroup = "shutdown")
        public void shutdown() {
            q.shutdown();
        }

        @Operation(nonParallelGroup = "shutdown")
        public List<Integer> shutdownNow() {
            return q.shutdown(true);
        }
    }

    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class Waiting {
        private final Queue<Integer> q = Queue.fifo("q", 1);

        @Operation
        public String put(@Param(name = "item") int item) {
            return onLoop(() -> {
                try {
                    return bounded(() -> {
                        q.put(item);
                        return "ok";
                    }, "full");
                } catch (QueueShutDownException e) {
                    return "shut down";
                }
            });
        }

        @Operation
        public Object get() {
            return onLoop(() -> {
                try {
                    return bounded(q::get, "empty");
                } catch (QueueShutDownException e) {
                    return "shut down";
                }
            });
        }

        @Operation
        public Object offer(@Param(name = "item") int item) {
            try {
                return q.offer(item);
            } catch (QueueShutDownException e) {
                return "shut down";
            }
        }

        @Operation
        public Object poll() {
            try {
                Integer v = q.poll();
                return v == null ? "empty" : v;
            } catch (QueueShutDownException e) {
                return "shut down";
            }
        }

        @Operation(nonParallelGroup = "shutdown")
        public List<Integer> shutdownNow() {
            return q.shutdown(true);
        }
    }

    /** The sequential specification of {@link Waiting}: a plain queue of capacity 1. */
    public static class Model {
        private final ArrayDeque<Integer> items = new ArrayDeque<>();
        private boolean shutdown;

        public String put(int item) {
            if (shutdown) {
                return "shut down";
            }
            if (!items.isEmpty()) {
                return "full";
            }
            items.add(item);
            return "ok";
        }

        public Object get() {
            if (!items.isEmpty()) {
                return items.poll();
            }
            return shutdown ? "shut down" : "empty";
        }

        public Object offer(int item) {
            return shutdown ? "shut down" : (Object) "ok".equals(put(item));
        }

        public Object poll() {
            return get();
        }

        public List<Integer> shutdownNow() {
            shutdown = true;
            List<Integer> out = new ArrayList<>(items);
            items.clear();
            return out;
        }
    }
}
