package dev.taskloop.core.stream;

import dev.taskloop.core.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** What every stream shares: the iterator over {@link #fetch()}, the operators, the terminal operations. */
abstract class AbstractStream<T extends @Nullable Object> implements AsyncStream<T> {

    /** What {@link #fetch()} returns once the stream has ended. */
    static final Object END = new Object();
    private static final Object NONE = new Object();
    private static final AtomicLong IDS = new AtomicLong();

    final String name;
    private final AtomicBoolean iterated = new AtomicBoolean();

    AbstractStream(@Nullable String name) {
        this.name = name == null || name.isBlank() ? "AsyncStream-" + IDS.incrementAndGet() : name;
    }

    /** The next value, or {@link #END}; an await point. Throws {@link StreamFailedException} or a cancellation. */
    abstract @Nullable Object fetch();

    /**
     * Closes without waiting for a producer to end, for the safety nets (the consumer's task is
     * ending, the loop is shutting down), which must not await.
     */
    abstract void closeWithoutWaiting(String why);

    /** {@link #closeWithoutWaiting} for any stream (all of them are ours). */
    static void closeWithoutWaiting(AsyncStream<?> s, String why) {
        if (s instanceof AbstractStream<?> a) {
            a.closeWithoutWaiting(why);
        } else {
            s.close();
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Iterator<T> iterator() {
        if (!iterated.compareAndSet(false, true)) {
            throw new IllegalStateException("stream '" + name + "' was already iterated: a stream can be iterated once;"
                    + " create a new one to start again");
        }
        return new Iterator<>() {
            private @Nullable Object next = NONE;

            @Override
            public boolean hasNext() {
                if (next == NONE) {
                    next = fetch();
                }
                return next != END;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("stream '" + name + "' has ended");
                }
                T v = (T) next;
                next = NONE;
                return v;
            }
        };
    }

    @Override
    public final <R extends @Nullable Object> AsyncStream<R> map(Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f, "f");
        return new Operator<R>(name + ".map", this) {
            @Override
            @Nullable Object fetchFrom(AbstractStream<?> up) {
                Object v = up.fetch();
                return v == END ? END : f.apply(cast(v));
            }
        };
    }

    @Override
    public final AsyncStream<T> filter(Predicate<? super T> p) {
        Objects.requireNonNull(p, "p");
        return new Operator<T>(name + ".filter", this) {
            @Override
            @Nullable Object fetchFrom(AbstractStream<?> up) {
                while (true) {
                    Object v = up.fetch();
                    if (v == END || p.test(cast(v))) {
                        return v;
                    }
                }
            }
        };
    }

    @Override
    public final AsyncStream<T> take(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("stream '" + name + "': take(n) needs n >= 0, but got " + n);
        }
        return new Operator<T>(name + ".take(" + n + ")", this) {
            private long taken;

            @Override
            @Nullable Object fetchFrom(AbstractStream<?> up) {
                if (taken >= n) {
                    up.close();
                    return END;
                }
                Object v = up.fetch();
                if (v != END && ++taken == n) {
                    up.close();
                }
                return v;
            }
        };
    }

    @Override
    public final AsyncStream<T> timeout(Duration perElement) {
        long nanos = Checks.saturatedNanos(Checks.nonNegative("stream '" + name + "' per-element timeout", perElement));
        return new Operator<T>(name + ".timeout", this) {
            @Override
            @Nullable Object fetchFrom(AbstractStream<?> up) {
                try {
                    return dev.taskloop.core.Timeout.after(Duration.ofNanos(nanos)).call(up::fetch);
                } catch (dev.taskloop.core.TimeoutExpiredException e) {
                    up.close();
                    throw new dev.taskloop.core.TimeoutExpiredException("stream '" + up.name + "' produced no value within "
                            + perElement + " of being asked; it was closed", e);
                }
            }
        };
    }

    @Override
    public final void forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        try (this) {
            for (T v : this) {
                action.accept(v);
            }
        }
    }

    @Override
    public final List<T> toList() {
        List<T> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    @SuppressWarnings("unchecked")
    static <X extends @Nullable Object> X cast(@Nullable Object v) {
        return (X) v;
    }

    @Override
    public String toString() {
        return "AsyncStream[" + name + (isClosed() ? ", closed" : "") + "]";
    }

    /** A stream computed from another in the consumer's task; closing it closes the source. */
    abstract static class Operator<R extends @Nullable Object> extends AbstractStream<R> {
        private final AbstractStream<?> up;
        private volatile boolean closed;

        Operator(String name, AbstractStream<?> up) {
            super(name);
            this.up = up;
        }

        abstract @Nullable Object fetchFrom(AbstractStream<?> up);

        @Override
        final @Nullable Object fetch() {
            if (closed) {
                return END;
            }
            return fetchFrom(up);
        }

        @Override
        public boolean isClosed() {
            return closed || up.isClosed();
        }

        @Override
        public void close() {
            closed = true;
            up.close();
        }

        @Override
        void closeWithoutWaiting(String why) {
            closed = true;
            up.closeWithoutWaiting(why);
        }
    }
}
