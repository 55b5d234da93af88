package dev.taskloop.core.stream;

import dev.taskloop.core.queue.Queue;
import dev.taskloop.core.queue.QueueShutDownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's async generator: a producer that yields values lazily into a consumer's {@code for}
 * loop, and is always closed.
 *
 * <pre>{@code
 * AsyncStream<Row> rows = AsyncStream.generate("rows", out -> {
 *     Cursor c = open();
 *     try {
 *         while (c.hasMore()) out.emit(Async.offload(c::fetchRow));   // an await point
 *     } finally {
 *         c.close();                                                  // runs however the consumer stops
 *     }
 * });
 * try (rows) {                                                         // try-with-resources: always
 *     for (Row r : rows) {
 *         if (r.isLast()) break;                                       // closes the producer...
 *     }
 * }                                                                    // ...whose finally has run here
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Lazy, with backpressure.</b> Nothing runs until the consumer first asks
 *       ({@code hasNext()}). The producer then runs, as a task of the consumer's loop named after the
 *       stream, until its next {@link Emitter#emit}, which hands the value over and waits until the
 *       consumer asks again: a rendezvous, no buffer, so the producer is never more than one value
 *       ahead of its consumer (asyncio's semantics exactly: code after a {@code yield} runs on the
 *       next {@code anext}).</li>
 *   <li><b>Closing.</b> {@link #close()} cancels the producer at the await point where it waits
 *       and waits (shielded from the caller's own cancellation) until it has ended, so the
 *       producer's {@code finally} blocks have run when {@code close()} returns. Iterate inside
 *       try-with-resources: then a {@code break}, an exception or a cancellation of the consumer all
 *       close the stream before the statement after the {@code try}. (Java's {@code for} loop alone
 *       cannot see a {@code break}.) Like every cancelled task, a closing producer's own await points
 *       throw {@code CancelledException}; cleanup that must await belongs in a shielded scope.</li>
 *   <li><b>Safety nets.</b> A stream that is never closed is closed when the task that started
 *       iterating it ends, and when its loop shuts down (asyncio's {@code shutdown_asyncgens}, but
 *       deterministic); both cancel the producer without waiting for it.</li>
 *   <li><b>Exhaustion and failure.</b> When the producer returns, iteration ends and the stream
 *       counts as closed. When it throws, the consumer's {@code hasNext()} throws
 *       {@link StreamFailedException} with that cause.</li>
 *   <li><b>One consumer.</b> A stream can be iterated once, by one task at a time; its iteration is
 *       an await point ({@code hasNext()} waits, and is where a cancelled consumer throws). Elements
 *       may be {@code null}.</li>
 *   <li><b>One way.</b> There is no {@code asend}/{@code athrow}: Java's iteration has no way back
 *       into the producer. For a conversation, emit values that carry a reply slot (a
 *       {@code CompletableFuture}) which the consumer fills before it asks for the next value and
 *       the producer reads when {@link Emitter#emit} returns; filling it exceptionally is
 *       {@code athrow}. {@code aclose()} is {@link #close()}.</li>
 * </ul>
 *
 * <h2>Operators</h2>
 * {@link #map}, {@link #filter}, {@link #take}, {@link #timeout} and {@link #merge}: few on
 * purpose; Taskloop is not a reactive library. {@code map}, {@code filter}, {@code take} and
 * {@code timeout} run in the consumer's task, add no task and no hand-off, and closing them closes
 * their source. {@code merge} runs one task per source.
 *
 * <h2>Thread-safety</h2>
 * Iterate and close from tasks; a stream's producer runs on the loop of the task that started the
 * iteration. {@link #close()} may also be called from a thread that is not a task (it then blocks
 * until the producer has ended).
 *
 * @param <T> the element type
 * @since 0.1.0
 */
public interface AsyncStream<T extends @Nullable Object> extends Iterable<T>, AutoCloseable {

    /**
     * The body of a stream: emits values through {@code out}; may await anything.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    interface Producer<T extends @Nullable Object> {
        void produce(Emitter<T> out) throws Exception;
    }

    /**
     * What a producer emits through.
     *
     * @since 0.1.0
     */
    interface Emitter<T extends @Nullable Object> {
        /**
         * Hands {@code value} to the consumer and waits until it asks for the next one (asyncio's
         * {@code yield}). An await point; throws {@code CancelledException} when the stream is closed.
         *
         * @throws IllegalStateException if called from a task other than the stream's producer
         */
        void emit(T value);
    }

    /** A stream named {@code name} whose values come from {@code producer}. */
    static <T extends @Nullable Object> AsyncStream<T> generate(@Nullable String name, Producer<T> producer) {
        return new GeneratorStream<>(name, producer, null);
    }

    /** {@link #generate(String, Producer)} named {@code AsyncStream-<n>}. */
    static <T extends @Nullable Object> AsyncStream<T> generate(Producer<T> producer) {
        return generate(null, producer);
    }

    /** A stream of fixed values. */
    @SafeVarargs
    static <T extends @Nullable Object> AsyncStream<T> of(T... values) {
        List<T> copy = new ArrayList<>(values.length);
        for (T v : values) {
            copy.add(v);
        }
        return generate(null, out -> {
            for (T v : copy) {
                out.emit(v);
            }
        });
    }

    /**
     * A stream of what {@code queue} yields, taken with {@link Queue#get()}; it ends when the queue
     * is shut down and empty. Items are taken only when the consumer asks.
     */
    static <T> AsyncStream<T> from(Queue<T> queue) {
        return generate(queue.name(), out -> {
            while (true) {
                T item;
                try {
                    item = queue.get();
                } catch (QueueShutDownException e) {
                    return;
                }
                out.emit(item);
            }
        });
    }

    /** {@link #merge(String, List)} with a generated name. */
    @SafeVarargs
    static <T extends @Nullable Object> AsyncStream<T> merge(AsyncStream<? extends T>... sources) {
        List<AsyncStream<? extends T>> list = new ArrayList<>(sources.length);
        for (AsyncStream<? extends T> s : sources) {
            list.add(s);
        }
        return merge(null, list);
    }

    /**
     * The values of every source, in the order they come. Each source is iterated by a task of its
     * own (so every source runs at most one value ahead); the merged stream ends when all sources
     * have, fails as soon as one fails (the others are closed), and closing it closes every source.
     */
    static <T extends @Nullable Object> AsyncStream<T> merge(@Nullable String name, List<? extends AsyncStream<? extends T>> sources) {
        return Merge.of(name, List.copyOf(sources));
    }

    /** The stream's name: its producer task's name, and what snapshots and errors show. */
    String name();

    /**
     * The stream's iterator; {@code hasNext()} is an await point that may throw
     * {@link StreamFailedException} or {@code CancelledException}.
     *
     * @throws IllegalStateException if the stream was iterated before
     */
    @Override
    java.util.Iterator<T> iterator();

    /** A stream of {@code f} applied to each value, in the consumer's task. */
    <R extends @Nullable Object> AsyncStream<R> map(Function<? super T, ? extends R> f);

    /** A stream of the values that {@code p} accepts. */
    AsyncStream<T> filter(Predicate<? super T> p);

    /**
     * A stream of the first {@code n} values; once the {@code n}th is delivered, this stream is
     * closed at once (its producer's {@code finally} runs before that value is returned).
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    AsyncStream<T> take(long n);

    /**
     * A stream that fails with {@link dev.taskloop.core.TimeoutExpiredException} when the next
     * value does not arrive within {@code perElement} of the consumer asking for it (loop time);
     * this stream is then closed.
     *
     * @throws IllegalArgumentException if {@code perElement} is negative
     */
    AsyncStream<T> timeout(Duration perElement);

    /** Iterates the whole stream, then closes it (also when {@code action} throws). */
    @Override
    void forEach(Consumer<? super T> action);

    /** Collects the whole stream, then closes it. */
    List<T> toList();

    /** Whether the stream was closed, or ended. */
    boolean isClosed();

    /**
     * Closes the stream: cancels its producer and waits until it has ended (its {@code finally}
     * blocks have run). Idempotent. A stream that never started just becomes closed.
     */
    @Override
    void close();
}
