package dev.taskloop.core.stream;

import static dev.taskloop.core.testing.VirtualTime.sleepMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.TimeoutExpiredException;
import dev.taskloop.core.queue.Queue;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AsyncStreamTest {

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final TestLoop test = loops.create();
    private final List<String> trace = new CopyOnWriteArrayList<>();

    /** Emits 1..n, tracing each emit and its finally. */
    private AsyncStream<Integer> counting(String name, int n) {
        return AsyncStream.generate(name, out -> {
            try {
                for (int i = 1; i <= n; i++) {
                    trace.add(name + " emits " + i);
                    out.emit(i);
                }
            } finally {
                trace.add(name + " finally");
            }
        });
    }

    @Test
    void aConsumerThatBreaksAfterTwoOfAHundredItemsRunsTheProducersFinallyBeforeTheNextStatement() {
        AsyncStream<Integer> s = counting("numbers", 100);
        test.run(() -> {
            try (s) {
                for (int v : s) {
                    trace.add("consumer got " + v);
                    if (v == 2) {
                        break;
                    }
                }
            }
            trace.add("after the loop");
            return null;
        });
        assertThat(trace).containsExactly("numbers emits 1", "consumer got 1", "numbers emits 2", "consumer got 2",
                "numbers finally", "after the loop");
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void theProducerRunsOnlyWhenTheConsumerAsks() {
        AsyncStream<Integer> s = counting("lazy", 3);
        test.run(() -> {
            Async.yieldNow();
            trace.add("created, nothing ran");
            try (s) {
                var it = s.iterator();
                sleepMs(10);
                trace.add("iterator made, nothing ran");
                it.hasNext();
                sleepMs(10); // the producer is parked in emit(1) until the consumer asks again
                trace.add("consumer takes " + it.next());
                it.hasNext();
                trace.add("consumer takes " + it.next());
            }
            return null;
        });
        assertThat(trace).containsExactly("created, nothing ran", "iterator made, nothing ran", "lazy emits 1",
                "consumer takes 1", "lazy emits 2", "consumer takes 2", "lazy finally");
    }

    @Test
    void anExceptionInTheConsumerClosesTheStreamThroughTryWithResources() {
        AsyncStream<Integer> s = counting("s", 10);
        Task<Void> t = test.loop().spawn("consumer", () -> {
            try (s) {
                for (int v : s) {
                    if (v == 3) {
                        throw new IllegalStateException("bad item " + v);
                    }
                }
            } finally {
                trace.add("consumer finally");
            }
        });
        test.runCurrent();
        assertThat(t.exception()).hasMessage("bad item 3");
        assertThat(trace).endsWith("s finally", "consumer finally");
    }

    @Test
    void cancellingTheConsumerWhileItWaitsClosesTheProducerBeforeTheConsumerEnds() {
        AsyncStream<Integer> s = AsyncStream.generate("slow", out -> {
            try {
                out.emit(1);
                sleepMs(1000);
                out.emit(2);
            } finally {
                trace.add("producer finally");
            }
        });
        Task<Void> t = test.loop().spawn("consumer", () -> {
            try (s) {
                for (int v : s) {
                    trace.add("got " + v);
                }
            } finally {
                trace.add("consumer finally");
            }
        });
        test.advanceTimeBy(Duration.ofMillis(10));
        assertThat(t.snapshot().awaiting().kind()).isEqualTo("stream.next");
        t.cancel("stop");
        test.runCurrent();
        assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(trace).containsExactly("got 1", "producer finally", "consumer finally");
    }

    @Test
    void aStreamLeftOpenIsClosedByLoopShutdown() throws InterruptedException {
        CountDownLatch twoTaken = new CountDownLatch(2);
        AsyncStream<Integer> s = counting("forgotten", 100);
        EventLoop loop = EventLoop.builder().name("shutdown-test").build();
        loop.spawn("consumer", () -> {
            var it = s.iterator();
            for (int i = 0; i < 2; i++) {
                it.hasNext();
                it.next();
                twoTaken.countDown();
            }
            Async.sleep(Duration.ofDays(1)); // never closes the stream
        });
        assertThat(twoTaken.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(s.isClosed()).isFalse();
        loop.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(trace).containsExactly("forgotten emits 1", "forgotten emits 2", "forgotten finally");
    }

    @Test
    void aStreamWhoseConsumerTaskEndsWithoutClosingItIsClosedThen() {
        AsyncStream<Integer> s = counting("abandoned", 100);
        Task<Integer> t = test.loop().spawn("consumer", () -> {
            var it = s.iterator();
            it.hasNext();
            return it.next();
        });
        test.runCurrent();
        assertThat(t.result()).isEqualTo(1);
        assertThat(s.isClosed()).isTrue();
        assertThat(trace).containsExactly("abandoned emits 1", "abandoned finally");
    }

    @Test
    void aProducerThatThrowsFailsTheConsumersIterationWithTheCause() {
        AsyncStream<Integer> s = AsyncStream.generate("broken", out -> {
            out.emit(1);
            throw new IOException("disk gone");
        });
        List<Integer> got = new ArrayList<>();
        Task<Void> t = test.loop().spawn("consumer", () -> {
            try (s) {
                for (int v : s) {
                    got.add(v);
                }
            }
        });
        test.runCurrent();
        assertThat(got).containsExactly(1);
        assertThat(t.exception()).isInstanceOf(StreamFailedException.class)
                .hasMessage("stream 'broken' failed: its producer threw java.io.IOException: disk gone")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void whenTheProducerReturnsIterationEndsAndTheStreamCountsAsClosed() {
        AsyncStream<Integer> s = counting("short", 2);
        List<Integer> got = test.run(s::toList);
        assertThat(got).containsExactly(1, 2);
        assertThat(s.isClosed()).isTrue();
        assertThat(trace).endsWith("short finally");
    }

    @Test
    void filterMapAndTakeRunInTheConsumerAndTakeClosesTheSourceOnItsLastValue() {
        AsyncStream<Integer> s = counting("n", 1000);
        List<Integer> got = test.run(() -> {
            List<Integer> out = new ArrayList<>();
            try (AsyncStream<Integer> tens = s.filter(v -> v % 2 == 0).map(v -> v * 10).take(3)) {
                for (int v : tens) {
                    trace.add("got " + v);
                    out.add(v);
                }
            }
            return out;
        });
        assertThat(got).containsExactly(20, 40, 60);
        assertThat(trace).containsSubsequence("n emits 6", "n finally", "got 60");
        assertThat(trace).doesNotContain("n emits 7");
    }

    @Test
    void aPerElementTimeoutFailsTheIterationAndClosesTheStream() {
        AsyncStream<Integer> s = AsyncStream.generate("ticks", out -> {
            try {
                for (int i = 1; i <= 3; i++) {
                    sleepMs(i == 3 ? 500 : 10);
                    out.emit(i);
                }
            } finally {
                trace.add("ticks finally");
            }
        });
        List<Integer> got = new ArrayList<>();
        Task<Void> t = test.loop().spawn("consumer", () -> {
            try (AsyncStream<Integer> timed = s.timeout(Duration.ofMillis(100))) {
                for (int v : timed) {
                    got.add(v);
                }
            }
        });
        test.advanceUntilIdle();
        assertThat(got).containsExactly(1, 2);
        assertThat(t.exception()).isInstanceOf(TimeoutExpiredException.class)
                .hasMessageContaining("stream 'ticks' produced no value within PT0.1S");
        assertThat(trace).containsExactly("ticks finally");
        assertThat(test.currentTime()).isEqualTo(Duration.ofMillis(120));
    }

    @Test
    void mergeInterleavesSourcesAsTheirValuesComeAndClosingItClosesEverySource() {
        AsyncStream<String> fast = AsyncStream.generate("fast", out -> {
            try {
                for (int i = 0; i < 100; i++) {
                    sleepMs(10);
                    out.emit("f" + i);
                }
            } finally {
                trace.add("fast finally");
            }
        });
        AsyncStream<String> slow = AsyncStream.generate("slow", out -> {
            try {
                for (int i = 0; i < 100; i++) {
                    sleepMs(25);
                    out.emit("s" + i);
                }
            } finally {
                trace.add("slow finally");
            }
        });
        List<String> got = test.run(() -> {
            List<String> out = new ArrayList<>();
            try (AsyncStream<String> both = AsyncStream.merge("both", List.of(fast, slow))) {
                for (String v : both) {
                    out.add(v);
                    if (out.size() == 5) {
                        break;
                    }
                }
            }
            trace.add("after the loop");
            return out;
        });
        assertThat(got).containsExactly("f0", "f1", "s0", "f2", "f3");
        assertThat(trace).containsExactlyInAnyOrder("fast finally", "slow finally", "after the loop");
        assertThat(trace.getLast()).isEqualTo("after the loop");
    }

    @Test
    void aMergedStreamWhoseConsumerEndsWithoutClosingItClosesEverySourceWithoutBlockingTheEndingTask() {
        AsyncStream<Integer> a = counting("a", 100);
        AsyncStream<Integer> b = counting("b", 100);
        AsyncStream<Integer> merged = AsyncStream.merge("ab", List.of(a, b));
        Task<Integer> consumer = test.loop().spawn("consumer", () -> {
            var it = merged.iterator();
            it.hasNext();
            return it.next();
        });
        test.advanceUntilIdle();
        assertThat(consumer.state()).isEqualTo(Task.State.COMPLETED);
        assertThat(merged.isClosed()).isTrue();
        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThat(trace).contains("a finally", "b finally");
        assertThat(test.loop().tasks()).isEmpty();
    }

    @Test
    void closingAStreamFromALoopCallbackCancelsTheProducerWithoutWaiting() {
        AsyncStream<Integer> s = counting("cb", 100);
        Task<Void> consumer = test.loop().spawn("consumer", () -> {
            s.iterator().hasNext();
            Async.sleep(Duration.ofDays(1));
        });
        test.runCurrent();
        test.loop().callSoon(s::close);
        test.runCurrent();
        assertThat(s.isClosed()).isTrue();
        assertThat(trace).containsExactly("cb emits 1", "cb finally");
        consumer.cancel();
    }

    @Test
    void mergeEndsWhenEverySourceHasEnded() {
        List<Integer> got = test.run(() -> AsyncStream.merge(AsyncStream.of(1, 2), AsyncStream.of(3), AsyncStream.<Integer>of()).toList());
        assertThat(got).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void aStreamFromAQueueEndsWhenTheQueueIsShutDownAndDrained() {
        Queue<String> q = Queue.fifo("events", 10);
        q.offer("a");
        q.offer("b");
        q.shutdown();
        assertThat(test.run(() -> AsyncStream.from(q).toList())).containsExactly("a", "b");
    }

    @Test
    void aWaitingConsumerShowsTheStreamAndItsProducerTaskInItsSnapshot() {
        AsyncStream<Integer> s = AsyncStream.generate("feed", out -> sleepMs(1000));
        Task<Void> consumer = test.loop().spawn("consumer", () -> {
            try (s) {
                s.iterator().hasNext();
            }
        });
        test.runCurrent();
        var a = consumer.snapshot().awaiting();
        assertThat(a.kind()).isEqualTo("stream.next");
        assertThat(a.target()).isEqualTo("feed");
        assertThat(a.holderName()).isEqualTo("feed");
        consumer.cancel();
        test.runCurrent();
    }

    @Test
    void misuseFailsWithAClearMessage() {
        AsyncStream<Integer> s = AsyncStream.of(1, 2);
        s.iterator();
        assertThatThrownBy(s::iterator).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stream '" + s.name() + "' was already iterated");
        assertThatThrownBy(() -> s.take(-1)).hasMessageContaining("take(n) needs n >= 0, but got -1");

        AsyncStream.Emitter<?>[] leaked = new AsyncStream.Emitter<?>[1];
        AsyncStream<Integer> leaky = AsyncStream.generate("leaky", out -> {
            leaked[0] = out;
            out.emit(1);
        });
        Task<Void> other = test.loop().spawn("other", () -> {
            try (leaky) {
                leaky.iterator().hasNext();
                @SuppressWarnings("unchecked")
                AsyncStream.Emitter<Integer> e = (AsyncStream.Emitter<Integer>) leaked[0];
                e.emit(2);
            }
        });
        test.runCurrent();
        assertThat(other.exception()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("emit() of stream 'leaky' must be called by its producer task 'leaky'")
                .hasMessageContaining("but was called by task 'other'");
    }

    @Test
    void closingAStreamThatNeverStartedRunsNothing() {
        AsyncStream<Integer> s = counting("never", 3);
        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(test.run(() -> {
            List<Integer> out = new ArrayList<>();
            for (int v : s) {
                out.add(v);
            }
            return out;
        })).isEmpty();
        assertThat(trace).isEmpty();
    }

    @Test
    void cancellationOfTheConsumerInsideTheLoopBodyStillClosesTheStream() {
        AsyncStream<Integer> s = counting("c", 10);
        Task<Void> t = test.loop().spawn("consumer", () -> {
            try (s) {
                for (int v : s) {
                    Task.current().cancel("enough");
                    sleepMs(1); // throws CancelledException
                }
            }
        });
        test.runCurrent();
        assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(trace).containsExactly("c emits 1", "c finally");
        assertThatThrownBy(t::result).isInstanceOf(CancelledException.class);
    }

    /*
     * Deliberately unlike asyncio's aclose(), which lets the generator await in its finally: closing
     * cancels the producer, so its finally can await only inside a shielded scope.
     */
    @Test
    void aClosingStreamsProducerCanAwaitInItsFinallyOnlyInsideAShieldedScope() {
        AsyncStream<Integer> s = AsyncStream.generate("flushing", out -> {
            try {
                out.emit(1);
                out.emit(2);
            } finally {
                try {
                    sleepMs(5);
                    trace.add("unshielded await in finally returned");
                } catch (CancelledException c) {
                    trace.add("unshielded await in finally: " + c.getMessage());
                }
                CancelScope.shielded().run(() -> sleepMs(5));
                trace.add("shielded flush done at " + test.currentTime().toMillis());
            }
        });
        test.run(() -> {
            try (s) {
                for (int v : s) {
                    break;
                }
            }
            trace.add("closed at " + test.currentTime().toMillis());
            return null;
        });
        assertThat(trace).containsExactly(
                "unshielded await in finally: task 'flushing' was cancelled: stream 'flushing' was closed by its consumer",
                "shielded flush done at 5", "closed at 5");
    }

    /*
     * asyncio's asend()/athrow() have no counterpart (see the README's "Streams"); the pattern: the
     * emitted value carries a reply slot that the consumer fills before it asks for the next value,
     * and the producer reads it when emit() returns. Filling it exceptionally is athrow().
     */
    record Offer(int price, CompletableFuture<String> answer) {
    }

    @Test
    void aConsumerHandsAValueOrAnExceptionBackToTheProducerThroughAReplySlotInTheEmittedValue() {
        AsyncStream<Offer> offers = AsyncStream.generate("haggle", out -> {
            int price = 100;
            while (true) {
                Offer o = new Offer(price, new CompletableFuture<>());
                out.emit(o);
                String answer = o.answer().getNow("no answer"); // throws CompletionException if the consumer sent an exception
                trace.add("producer heard '" + answer + "' at " + price);
                if (answer.equals("deal")) {
                    return;
                }
                price -= 10;
            }
        });
        test.run(() -> {
            try (offers) {
                for (Offer o : offers) {
                    if (o.price() == 100) {
                        continue; // asks for the next value without answering: asend(None), i.e. anext()
                    }
                    o.answer().complete(o.price() <= 80 ? "deal" : "too much");
                }
            }
            return null;
        });
        assertThat(trace).containsExactly("producer heard 'no answer' at 100", "producer heard 'too much' at 90",
                "producer heard 'deal' at 80");

        trace.clear();
        AsyncStream<Offer> refused = AsyncStream.generate("refused", out -> {
            Offer o = new Offer(100, new CompletableFuture<>());
            out.emit(o);
            try {
                o.answer().getNow(null);
            } catch (CompletionException e) {
                trace.add("producer got " + e.getCause().getMessage());
                throw new IllegalStateException("gave up", e.getCause());
            }
        });
        test.run(() -> {
            try (refused) {
                assertThatThrownBy(() -> {
                    for (Offer o : refused) {
                        o.answer().completeExceptionally(new IOException("budget frozen")); // athrow()
                    }
                }).isInstanceOf(StreamFailedException.class).hasRootCauseMessage("budget frozen");
            }
            return null;
        });
        assertThat(trace).containsExactly("producer got budget frozen");
    }
}
