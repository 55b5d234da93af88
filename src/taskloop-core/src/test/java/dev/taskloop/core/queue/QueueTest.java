package dev.taskloop.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.Async;
import dev.taskloop.core.Task;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueTest {

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();

    @Test
    void fifoLifoAndPriorityQueuesReturnItemsInTheirOrder() {
        Queue<Integer> fifo = Queue.fifo("fifo");
        Queue<Integer> lifo = Queue.lifo("lifo", 10);
        Queue<Integer> prio = Queue.priority("prio", 10);
        for (int v : List.of(3, 1, 2)) {
            fifo.offer(v);
            lifo.offer(v);
            prio.offer(v);
        }
        assertThat(List.of(fifo.poll(), fifo.poll(), fifo.poll())).containsExactly(3, 1, 2);
        assertThat(List.of(lifo.poll(), lifo.poll(), lifo.poll())).containsExactly(2, 1, 3);
        assertThat(List.of(prio.poll(), prio.poll(), prio.poll())).containsExactly(1, 2, 3);
    }

    @Test
    void aPriorityQueueReturnsEqualItemsInTheOrderTheyWerePut() {
        Queue<String> q = Queue.priority("jobs", Queue.UNBOUNDED, Comparator.comparing(String::length));
        for (String s : List.of("bb", "a1", "c", "a2", "d")) {
            q.offer(s);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(q.poll());
        }
        assertThat(out).containsExactly("c", "d", "bb", "a1", "a2");
    }

    @Test
    void putWaitsWhileTheQueueIsFullAndGetWaitsWhileItIsEmpty() {
        Queue<String> q = Queue.fifo("q", 1);
        List<String> trace = new ArrayList<>();
        test.run(() -> {
            Task<Void> producer = Async.spawn("producer", () -> {
                for (String s : List.of("a", "b", "c")) {
                    q.put(s);
                    trace.add("put " + s);
                }
            });
            Async.sleep(Duration.ofMillis(1));
            assertThat(producer.snapshot().awaiting().toString()).isEqualTo("queue.put q");
            for (int i = 0; i < 3; i++) {
                trace.add("got " + q.get());
            }
            producer.join();
            Task<String> getter = Async.spawn("getter", q::get);
            Async.sleep(Duration.ofMillis(1));
            assertThat(getter.snapshot().awaiting().toString()).isEqualTo("queue.get q");
            getter.cancel();
            return null;
        });
        assertThat(trace).containsExactly("put a", "got a", "got b", "put b", "put c", "got c");
    }

    @Test
    void offerAndPollAnswerFullAndEmptyWithoutWaiting() {
        Queue<String> q = Queue.fifo("q", 1);
        assertThat(q.poll()).isNull();
        assertThat(q.offer("a")).isTrue();
        assertThat(q.offer("b")).isFalse();
        assertThat(q.isFull()).isTrue();
        assertThat(q.poll()).isEqualTo("a");
        assertThatThrownBy(() -> q.offer(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("queue 'q' does not accept null");
        assertThatThrownBy(() -> Queue.fifo("z", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queue 'z' needs a capacity of at least 1, but got 0 (use Queue.UNBOUNDED for no limit)");
    }

    @Test
    void anOfferFromAThreadThatIsNotATaskGoesStraightToAWaitingGetter() {
        Queue<String> q = Queue.fifo("inbox", 10);
        Task<String> consumer = test.loop().spawn("consumer", q::get);
        test.runCurrent();
        assertThat(q.offer("from a web request")).isTrue();
        test.runCurrent();
        assertThat(consumer.result()).isEqualTo("from a web request");
        assertThat(q.unfinished()).isEqualTo(1);
    }

    @Test
    void joinWaitsUntilEveryItemPutWasMarkedDone() {
        Queue<Integer> q = Queue.fifo("work", 10);
        List<String> trace = new ArrayList<>();
        test.run(() -> {
            for (int i = 0; i < 3; i++) {
                q.put(i);
            }
            Async.spawn("worker", () -> {
                while (true) {
                    int v = q.get();
                    Async.sleep(Duration.ofMillis(10));
                    trace.add("done " + v);
                    q.taskDone();
                }
            });
            q.join();
            trace.add("joined");
            return null;
        });
        assertThat(trace).containsExactly("done 0", "done 1", "done 2", "joined");
        assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void callingTaskDoneTooOftenFailsNamingTheCounts() {
        Queue<Integer> q = Queue.fifo("q", 10);
        q.offer(1);
        q.taskDone();
        assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class)
                .hasMessage("queue 'q': taskDone() was called more times than items were put (0 unfinished items, 1 queued);"
                        + " call it once per item taken with get() or poll()");
    }

    @Test
    void afterShutdownPutsFailAndGetsDrainWhatIsLeftThenFail() {
        Queue<String> q = Queue.fifo("q", 10);
        q.offer("a");
        q.offer("b");
        q.shutdown();
        assertThatThrownBy(() -> q.offer("c")).isInstanceOf(QueueShutDownException.class)
                .hasMessageContaining("queue 'q' is shut down; offer() rejected item c")
                .satisfies(e -> assertThat(((QueueShutDownException) e).item()).isEqualTo("c"));
        List<Object> got = test.run(() -> {
            List<Object> out = new ArrayList<>();
            out.add(q.get());
            out.add(q.get());
            try {
                q.get();
            } catch (QueueShutDownException e) {
                out.add(e.getMessage());
            }
            return out;
        });
        assertThat(got).containsExactly("a", "b", "queue 'q' is shut down; get() found it empty, and no item will come");
        assertThatThrownBy(q::poll).isInstanceOf(QueueShutDownException.class);
    }

    @Test
    void shutdownWakesWaitingGettersAndPuttersWithTheRejectedItem() {
        Queue<String> full = Queue.fifo("full", 1);
        full.offer("x");
        Queue<String> empty = Queue.fifo("empty", 1);
        Task<Void> putter = test.loop().spawn("putter", () -> full.put("y"));
        Task<String> getter = test.loop().spawn("getter", empty::get);
        test.runCurrent();
        assertThat(full.shutdown(false)).isEmpty();
        empty.shutdown();
        test.runCurrent();
        assertThat(putter.exception()).isInstanceOf(QueueShutDownException.class)
                .satisfies(e -> assertThat(((QueueShutDownException) e).item()).isEqualTo("y"));
        assertThat(getter.exception()).isInstanceOf(QueueShutDownException.class);
        assertThat(full.poll()).isEqualTo("x"); // the queued item is still there for getters
    }

    @Test
    void anImmediateShutdownReturnsTheDroppedItemsInGetOrderAndReleasesJoin() {
        Queue<Integer> q = Queue.lifo("stack", 10);
        for (int i = 1; i <= 3; i++) {
            q.offer(i);
        }
        assertThat(q.poll()).isEqualTo(3);
        q.taskDone();
        Task<Void> joiner = test.loop().spawn("joiner", q::join);
        test.runCurrent();
        assertThat(joiner.state()).isEqualTo(Task.State.ASLEEP);

        assertThat(q.shutdown(true)).containsExactly(2, 1);
        test.runCurrent();
        assertThat(joiner.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(q.unfinished()).isZero();
        assertThat(q.size()).isZero();
        assertThat(q.shutdown(true)).isEmpty();
    }

    @Test
    void waitingOperationsOutsideATaskFailFast() {
        Queue<String> q = Queue.fifo("q", 1);
        assertThatThrownBy(q::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("Queue.get() must be called from a Taskloop task");
        assertThatThrownBy(() -> q.put("a")).hasMessageContaining("Queue.put() must be called from a Taskloop task");
    }
}
