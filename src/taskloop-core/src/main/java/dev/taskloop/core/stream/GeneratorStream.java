package dev.taskloop.core.stream;

import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.internal.Primitives;
import dev.taskloop.core.internal.Waiter;
import dev.taskloop.core.spi.Describe;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A stream whose values come from a producer task: the rendezvous between the consumer's
 * {@link #fetch()} and the producer's {@link #emit}. Guarded by a small lock (the two sides are
 * tasks of one loop, but closing may come from anywhere).
 */
final class GeneratorStream<T extends @Nullable Object> extends AbstractStream<T> {

    private static final Object NONE = new Object();
    private static final Object DEMAND = new Object();

    private record Failure(Throwable error) {
    }

    private final AsyncStream.Producer<T> producer;
    /** Closed with this stream (merge's sources). */
    private final java.util.List<? extends AsyncStream<?>> children;
    private final ReentrantLock guard = new ReentrantLock();
    private final Consumer<Task<?>> consumerEnded = t -> closeWithoutWaiting("its consumer task '" + t.name() + "' ended");
    private final AutoCloseable loopClosed = () -> closeWithoutWaiting("its event loop shut down");
    private @Nullable Task<Void> task;
    private @Nullable Task<?> consumer;
    private @Nullable EventLoop loop;
    private @Nullable Waiter consumerWaiter;
    private @Nullable Waiter producerWaiter;
    /** A value emitted while the consumer was not waiting (its wait was cancelled); the next fetch takes it. */
    private @Nullable Object pending = NONE;
    /** {@link #END} or a {@link Failure} once the producer has ended. */
    private @Nullable Object terminal;
    private boolean terminalSeen;
    private volatile boolean closed;

    GeneratorStream(@Nullable String name, AsyncStream.Producer<T> producer, java.util.@Nullable List<? extends AsyncStream<?>> children) {
        super(name);
        this.producer = java.util.Objects.requireNonNull(producer, "producer");
        this.children = children == null ? java.util.List.of() : children;
    }

    // ------------------------------------------------------------------ consumer side

    @Override
    @Nullable Object fetch() {
        Waiter.checkpoint("AsyncStream iteration");
        Waiter w;
        guard.lock();
        try {
            if (pending != NONE) {
                Object v = pending;
                pending = NONE;
                return v;
            }
            if (terminal != null) {
                return terminalLocked();
            }
            if (closed) {
                return END;
            }
            if (consumerWaiter != null) {
                throw new IllegalStateException("stream '" + name + "' is already being iterated by task '"
                        + consumerWaiter.task().name() + "': a stream has one consumer at a time");
            }
            if (task == null) {
                start(Task.current());
            } else {
                Waiter pw = producerWaiter;
                producerWaiter = null;
                if (pw != null) {
                    pw.wake(DEMAND); // if the producer was cancelled meanwhile, its end wakes us instead
                }
            }
            w = Waiter.begin("AsyncStream iteration", "stream.next", name, task);
            consumerWaiter = w;
        } finally {
            guard.unlock();
        }
        Object v = awaitOrLeave(w);
        if (v == END || v instanceof Failure) {
            guard.lock();
            try {
                return terminalLocked();
            } finally {
                guard.unlock();
            }
        }
        return v;
    }

    /** The producer has ended: iteration ends (or fails), and the stream counts as closed. */
    private Object terminalLocked() {
        terminalSeen = true;
        if (!closed) {
            closed = true;
            unregister();
        }
        if (terminal instanceof Failure f) {
            throw new StreamFailedException(name, f.error);
        }
        return END;
    }

    private void start(Task<?> me) {
        consumer = me;
        loop = me.loop();
        task = loop.spawn(name, this::runProducer);
        Primitives.watch(me, consumerEnded);
        Primitives.onLoopClose(loop, loopClosed);
    }

    private void unregister() {
        if (consumer != null) {
            Primitives.unwatch(consumer, consumerEnded);
            Primitives.removeOnLoopClose(loop, loopClosed);
        }
    }

    // ------------------------------------------------------------------ producer side

    private void runProducer() throws Exception {
        Object end = END;
        CancellationException cancelled = null;
        try {
            producer.produce(this::emit);
        } catch (CancellationException c) {
            cancelled = c;
            end = new Failure(c);
        } catch (Throwable e) {
            end = new Failure(e);
        }
        guard.lock();
        try {
            terminal = end;
            Waiter cw = consumerWaiter;
            consumerWaiter = null;
            if (cw != null) {
                cw.wake(end);
            }
        } finally {
            guard.unlock();
        }
        if (cancelled != null) {
            throw cancelled; // the task ends cancelled, as it was: no "swallowed cancellation" report
        }
        // A failure is the consumer's to see (StreamFailedException), not an unobserved task failure.
    }

    private void emit(T value) {
        Task<?> me = Task.current();
        if (me == null || me != task) {
            throw new IllegalStateException("emit() of stream '" + name + "' must be called by its producer "
                    + (task == null ? "task" : Describe.task(task)) + ", but was called by "
                    + (me == null ? "thread '" + Thread.currentThread().getName() + "'" : Describe.task(me)));
        }
        Waiter.checkpoint("AsyncStream emit()");
        Waiter pw;
        guard.lock();
        try {
            Waiter cw = consumerWaiter;
            consumerWaiter = null;
            if (cw == null || !cw.wake(value)) {
                pending = value;
            }
            pw = Waiter.begin("AsyncStream emit()", "stream.demand", name, consumer);
            producerWaiter = pw;
        } finally {
            guard.unlock();
        }
        awaitOrLeave(pw);
    }

    /**
     * Waits on {@code w}, the waiter of one side; if a cancellation ends the wait, the side forgets
     * {@code w} (unless the other side already took it away) and the cancellation is thrown.
     */
    private @Nullable Object awaitOrLeave(Waiter w) {
        Object v = w.await();
        if (v == Waiter.CANCELLED) {
            guard.lock();
            try {
                if (consumerWaiter == w) {
                    consumerWaiter = null;
                }
                if (producerWaiter == w) {
                    producerWaiter = null;
                }
            } finally {
                guard.unlock();
            }
            throw w.cancellation();
        }
        return v;
    }

    // ------------------------------------------------------------------ closing

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!markClosed(null)) {
            return;
        }
        Task<Void> t = task; // no longer changes: fetch() starts no producer once the stream is closed
        try {
            if (t != null && !t.isDone()) {
                t.cancel(CancelReason.of(CancelOrigin.STREAM_CLOSED, "stream '" + name + "' was closed by its consumer"));
                Task<?> me = Task.current();
                if (me == null) {
                    try {
                        awaitEnd(t);
                    } catch (IllegalStateException fromACallback) {
                        // a loop callback cannot wait: the producer was cancelled, and ends on its own
                    }
                } else if (me != t) {
                    CancelScope.shielded().run(() -> awaitEnd(t));
                }
            }
        } finally {
            for (AsyncStream<?> c : children) {
                c.close();
            }
        }
    }

    /**
     * Marks the stream closed and lets go of its safety nets, once. A safety net closing it says
     * {@code why}, and a producer failure that nobody saw is logged then.
     *
     * @return whether this call closed the stream ({@code false}: it was closed already)
     */
    private boolean markClosed(@Nullable String why) {
        guard.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            unregister();
            if (why != null && terminal instanceof Failure f && !terminalSeen && !(f.error instanceof CancellationException)) {
                Primitives.log().log(System.Logger.Level.WARNING, "stream '" + name + "' was closed because " + why
                        + ", and nobody saw that its producer had failed", f.error);
            }
            return true;
        } finally {
            guard.unlock();
        }
    }

    private void awaitEnd(Task<Void> t) {
        try {
            t.join();
        } catch (CancelledException expected) {
            // the producer ended as we asked
        }
    }

    /** Closing for the safety nets (consumer ended, loop shut down): cancel, do not wait. */
    @Override
    void closeWithoutWaiting(String why) {
        if (!markClosed(why)) {
            return;
        }
        Task<Void> t = task;
        if (t != null) {
            t.cancel(CancelReason.of(CancelOrigin.STREAM_CLOSED, "stream '" + name + "' was closed because " + why));
        }
        for (AsyncStream<?> c : children) {
            closeWithoutWaiting(c, why);
        }
    }
}
