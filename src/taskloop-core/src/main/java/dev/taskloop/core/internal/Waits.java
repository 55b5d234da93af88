package dev.taskloop.core.internal;

import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.Describe;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Waiting for several tasks: {@code gather}, {@code gatherSettled}, {@code waitFirst},
 * {@code asCompleted}. Each registers one completion listener per task and keeps counters, so
 * waiting for n tasks costs O(n) in all, whatever the order they end in.
 *
 * @since 0.1.0
 */
public final class Waits {

    private Waits() {
    }

    /** Completion bookkeeping shared by the waits; its listener may run on any loop's thread. */
    private static final class Tracker implements Consumer<TaskImpl<?>> {
        final List<TaskImpl<?>> tasks;
        final AtomicInteger remaining;
        final AtomicReference<@Nullable TaskImpl<?>> firstBad = new AtomicReference<>();
        final AtomicReference<@Nullable TaskImpl<?>> firstDone = new AtomicReference<>();
        final Queue<TaskImpl<?>> done = new ConcurrentLinkedQueue<>();
        final Signal signal;

        Tracker(TaskImpl<?> owner, List<? extends Task<?>> tasks) {
            this.signal = new Signal(owner);
            List<TaskImpl<?>> ts = new ArrayList<>(tasks.size());
            for (Task<?> t : tasks) {
                TaskImpl<?> ti = (TaskImpl<?>) t;
                if (ti == owner) {
                    throw new IllegalStateException(Describe.task(owner) + " cannot wait for itself: it would wait forever");
                }
                ts.add(ti);
            }
            this.tasks = ts;
            this.remaining = new AtomicInteger(ts.size());
            for (TaskImpl<?> t : ts) {
                t.addCompletionListener(this);
            }
        }

        @Override
        public void accept(TaskImpl<?> t) {
            if (t.state() != Task.State.COMPLETED) {
                firstBad.compareAndSet(null, t);
            }
            firstDone.compareAndSet(null, t);
            done.add(t);
            remaining.decrementAndGet();
            signal.fire();
        }

        void unsubscribe() {
            for (TaskImpl<?> t : tasks) {
                if (!t.isDone()) {
                    t.removeCompletionListener(this);
                }
            }
        }

        Object what(String kind, TaskImpl<?> owner) {
            return new WaitSite(kind, tasks.size() + " task(s)", owner.loop.ticker.read());
        }

        /** The owner was cancelled: cancel every task, wait (not cancellably) until all have ended, throw. */
        RuntimeException cancelAllAndThrow(TaskImpl<?> owner, String kind) {
            for (TaskImpl<?> t : tasks) {
                t.cancel(CancelReason.of(CancelOrigin.JOINER_CANCELLED, kind + " in task '" + owner.name() + "' was cancelled"));
            }
            AwaitPoints.waitUntil(owner, what(kind, owner), false, () -> remaining.get() == 0, signal);
            return owner.cancellation();
        }
    }

    public static <T extends @Nullable Object> List<T> gather(TaskImpl<?> me, List<? extends Task<? extends T>> tasks) {
        Tracker tr = new Tracker(me, tasks);
        try {
            if (AwaitPoints.waitUntil(me, tr.what("gather", me), true, () -> tr.remaining.get() == 0 || tr.firstBad.get() != null, tr.signal)) {
                throw tr.cancelAllAndThrow(me, "gather");
            }
        } finally {
            tr.unsubscribe();
        }
        TaskImpl<?> bad = tr.firstBad.get();
        if (bad != null) {
            bad.outcome(); // throws its failure or cancellation
        }
        List<T> results = new ArrayList<>(tasks.size());
        for (Task<? extends T> t : tasks) {
            results.add(((TaskImpl<? extends T>) t).outcome());
        }
        return results;
    }

    public static void settle(TaskImpl<?> me, List<? extends Task<?>> tasks) {
        Tracker tr = new Tracker(me, tasks);
        try {
            if (AwaitPoints.waitUntil(me, tr.what("gather", me), true, () -> tr.remaining.get() == 0, tr.signal)) {
                throw tr.cancelAllAndThrow(me, "gatherSettled");
            }
        } finally {
            tr.unsubscribe();
        }
        for (TaskImpl<?> t : tr.tasks) {
            t.markObserved();
        }
    }

    @SuppressWarnings("unchecked")
    public static <K extends Task<?>> K first(TaskImpl<?> me, List<K> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("waitFirst() needs at least one task, but got none");
        }
        Tracker tr = new Tracker(me, tasks);
        try {
            if (AwaitPoints.waitUntil(me, tr.what("waitFirst", me), true, () -> tr.firstDone.get() != null, tr.signal)) {
                throw me.cancellation();
            }
        } finally {
            tr.unsubscribe();
        }
        return (K) tr.firstDone.get();
    }

    public static <K extends Task<?>> Iterable<K> asCompleted(List<K> tasks) {
        TaskImpl<?> owner = TaskImpl.require("Async.asCompleted()");
        Tracker tr = new Tracker(owner, tasks);
        return () -> new Iterator<>() {
            private int returned;

            @Override
            public boolean hasNext() {
                return returned < tr.tasks.size();
            }

            @Override
            @SuppressWarnings("unchecked")
            public K next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("all " + tr.tasks.size() + " tasks have been returned");
                }
                TaskImpl<?> me = TaskImpl.require("asCompleted().next()");
                if (me != owner) {
                    throw new IllegalStateException("asCompleted() iterators belong to the task that created them ('"
                            + owner.name() + "'), but task '" + me.name() + "' used one");
                }
                if (AwaitPoints.waitUntil(me, tr.what("asCompleted", me), true, () -> !tr.done.isEmpty(), tr.signal)) {
                    tr.unsubscribe();
                    throw me.cancellation();
                }
                returned++;
                return (K) tr.done.poll();
            }
        };
    }
}
