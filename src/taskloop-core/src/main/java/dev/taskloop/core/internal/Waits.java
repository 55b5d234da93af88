package dev.taskloop.core.internal;

import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.ReturnWhen;
import dev.taskloop.core.Task;
import dev.taskloop.core.TimeoutExpiredException;
import dev.taskloop.core.WaitResult;
import dev.taskloop.core.spi.Describe;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Waiting for several tasks: {@code gather}, {@code gatherSettled}, {@code wait}, {@code waitFirst},
 * {@code asCompleted}. Each registers one completion listener per task and keeps counters, so
 * waiting for n tasks costs O(n) in all, whatever the order they end in.
 *
 * <p>A cancellation of the waiting task, whether pending when the wait is called or arriving while
 * it waits, is handled the same way: {@code gather} and {@code gatherSettled} pass it on to every
 * task and wait for them all to end (asyncio's gathering future); {@code wait}, {@code waitFirst}
 * and {@code asCompleted} leave the tasks running, as asyncio's {@code wait} and
 * {@code as_completed} do.
 *
 * @since 0.1.0
 */
public final class Waits {

    private Waits() {
    }

    /** A task that ended, and the loop time of the waiting task's loop when it heard of it. */
    private record Ended(TaskImpl<?> task, long at) {
    }

    /** Completion bookkeeping shared by the waits; its listener may run on any loop's thread. */
    private static final class Tracker implements Consumer<TaskImpl<?>> {
        final TaskImpl<?> owner;
        final List<TaskImpl<?>> tasks;
        final AtomicInteger remaining;
        /** The first task to end other than completed (failed or cancelled). */
        final AtomicReference<@Nullable TaskImpl<?>> firstBad = new AtomicReference<>();
        /** The first task to fail. */
        final AtomicReference<@Nullable TaskImpl<?>> firstFailed = new AtomicReference<>();
        final AtomicReference<@Nullable TaskImpl<?>> firstDone = new AtomicReference<>();
        final Queue<Ended> done = new ConcurrentLinkedQueue<>();
        final Signal signal;

        Tracker(TaskImpl<?> owner, List<? extends Task<?>> tasks) {
            this.owner = owner;
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
            Task.State s = t.state();
            if (s != Task.State.COMPLETED) {
                firstBad.compareAndSet(null, t);
            }
            if (s == Task.State.FAILED) {
                firstFailed.compareAndSet(null, t);
            }
            firstDone.compareAndSet(null, t);
            done.add(new Ended(t, owner.loop.ticker.read()));
            remaining.decrementAndGet();
            signal.fire();
        }

        void unsubscribe() {
            for (TaskImpl<?> t : tasks) {
                if (!t.hasEnded()) {
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

    /**
     * {@code Async.wait}: waits until {@code when} holds or {@code timeoutNanos} of loop time have
     * passed ({@code Long.MAX_VALUE}: no limit), and splits the tasks into done and pending.
     */
    public static <K extends Task<?>> WaitResult<K> wait(TaskImpl<?> me, Collection<K> tasks, ReturnWhen when, long timeoutNanos) {
        List<K> distinct = List.copyOf(new LinkedHashSet<>(tasks)); // asyncio waits for a set
        long deadline = Checks.deadline(me.loop.ticker.read(), timeoutNanos);
        Tracker tr = new Tracker(me, distinct);
        BooleanSupplier condition = switch (when) {
            case ALL_COMPLETED -> () -> tr.remaining.get() == 0;
            case FIRST_COMPLETED -> () -> tr.firstDone.get() != null;
            case FIRST_EXCEPTION -> () -> tr.remaining.get() == 0 || tr.firstFailed.get() != null;
        };
        try {
            if (AwaitPoints.waitUntil(me, tr.what("wait", me), true, condition, tr.signal, deadline) == TaskImpl.CANCEL) {
                throw me.cancellation();
            }
        } finally {
            tr.unsubscribe();
        }
        LinkedHashSet<K> done = new LinkedHashSet<>();
        LinkedHashSet<K> pending = new LinkedHashSet<>();
        for (K t : distinct) {
            (((TaskImpl<?>) t).hasEnded() ? done : pending).add(t);
        }
        return new WaitResult<>(Collections.unmodifiableSequencedSet(done), Collections.unmodifiableSequencedSet(pending));
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

    /**
     * {@code Async.asCompleted}: the tasks in the order they end. With a limit ({@code timeoutNanos}
     * of loop time from now; {@code Long.MAX_VALUE} for none), as asyncio's {@code as_completed}:
     * the tasks that ended by the deadline come out first, then every further {@code next()} throws
     * {@link TimeoutExpiredException}, one for each task that had not; those keep running.
     */
    public static <K extends Task<?>> Iterable<K> asCompleted(List<K> tasks, long timeoutNanos) {
        TaskImpl<?> owner = TaskImpl.require("Async.asCompleted()");
        long deadline = Checks.deadline(owner.loop.ticker.read(), timeoutNanos);
        Tracker tr = new Tracker(owner, tasks);
        return () -> new Iterator<>() {
            /** Tasks returned, and timeouts thrown. */
            private int consumed;
            private int returned;
            private boolean timedOut;

            @Override
            public boolean hasNext() {
                return consumed < tr.tasks.size();
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
                while (true) {
                    Ended e = tr.done.peek();
                    if (e != null && e.at() <= deadline) {
                        tr.done.poll();
                        consumed++;
                        returned++;
                        return (K) e.task();
                    }
                    if (e != null || me.loop.ticker.read() >= deadline) {
                        if (!timedOut) {
                            timedOut = true;
                            tr.unsubscribe(); // the deadline passed: what ends from now on is not returned (asyncio's as_completed)
                        }
                        consumed++;
                        throw new TimeoutExpiredException("Async.asCompleted(): " + (tr.tasks.size() - returned) + " of " + tr.tasks.size()
                                + " task(s) did not end within " + Durations.format(timeoutNanos), null);
                    }
                    Object v = AwaitPoints.waitUntil(me, tr.what("asCompleted", me), true, () -> !tr.done.isEmpty(), tr.signal, deadline);
                    if (v == TaskImpl.CANCEL) {
                        tr.unsubscribe();
                        throw me.cancellation();
                    }
                }
            }
        };
    }
}
