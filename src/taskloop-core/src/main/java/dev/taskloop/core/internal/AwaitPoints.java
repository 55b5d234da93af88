package dev.taskloop.core.internal;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.CancelledException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The await points a task performs on itself ({@code Async.sleep}, {@code yieldNow}, {@code await},
 * {@code offload}), and {@link #waitUntil}, the condition wait that groups and the multi-task waits
 * build on. Each is called by the task {@code me} while it holds its loop's baton, and uses the
 * task's wait protocol (see {@link TaskImpl}): begin a wait, register what ends it, suspend, learn
 * from the waker's value why it woke.
 *
 * @since 0.1.0
 */
public final class AwaitPoints {

    private AwaitPoints() {
    }

    /** What a completion stage ended with, as the waker's value. */
    private record Outcome(@Nullable Object value, @Nullable Throwable error) {
    }

    /** {@code Async.sleep}: {@code nanos} of loop time, {@code 0} for {@link #yieldNow}. */
    public static void sleep(TaskImpl<?> me, long nanos) {
        if (nanos == 0) {
            yieldNow(me);
            return;
        }
        long now = me.loop.ticker.read();
        long deadline = Checks.deadline(now, nanos);
        WakeTimer w = me.timer(); // not scheduled: the task's last wait has ended, and its timer fired or was removed
        w.deadline = deadline;
        // A sleep with a timer is described by it (the duration is its deadline less the wait's start):
        // no wait site and no boxed duration held per sleeping task, of which a loop may have 100,000.
        long t = me.beginWait(deadline == Long.MAX_VALUE ? new WaitSite("sleep", nanos, now) : w, true, now);
        w.ticket = t;
        w.value = TaskImpl.WOKEN;
        if (deadline != Long.MAX_VALUE) {
            me.baton.addTimer(w);
        }
        if (me.suspend(now) == TaskImpl.CANCEL) {
            me.baton.removeTimer(w);
            throw me.cancellation();
        }
    }

    /** {@code Async.yieldNow}: a cancellation checkpoint that lets every ready task run first. */
    public static void yieldNow(TaskImpl<?> me) {
        me.checkCancelled();
        if (!me.baton.othersReady()) {
            return;
        }
        long now = me.loop.ticker.read();
        me.parkedAt = now;
        me.baton.yieldBaton(me, now);
    }

    /**
     * {@code Async.await}: waits for {@code stage}. A cancellation of the caller, whether pending
     * when it is called or arriving while it waits, cancels a stage that is a {@link Future}; for
     * the future view of a task, it is passed on as a join passes it on (the caller's cancellation
     * is thrown once the task has ended).
     */
    public static <V extends @Nullable Object> V await(TaskImpl<?> me, CompletionStage<V> stage) {
        if (stage instanceof CompletableFuture<V> cf && cf.isDone()) {
            me.checkCancelled();
            return cf.join();
        }
        long now = me.loop.ticker.read();
        WaitSite what = new WaitSite("future", stage.getClass(), now);
        long t = me.beginWaitUnlessCancelled(what, now);
        if (t == 0) {
            throw cancelled(me, stage, what);
        }
        stage.whenComplete((v, e) -> me.wake(t, new Outcome(v, e), me.loop.ticker.read()));
        Object w = me.suspend(now);
        if (w == TaskImpl.CANCEL) {
            throw cancelled(me, stage, what);
        }
        Outcome o = (Outcome) w;
        if (o.error != null) {
            Throwable cause = o.error instanceof CompletionException && o.error.getCause() != null ? o.error.getCause() : o.error;
            if (cause instanceof CancellationException) {
                CancellationException c = new CancellationException("the awaited " + stage.getClass().getSimpleName() + " was cancelled");
                c.initCause(cause);
                throw c;
            }
            throw new CompletionException(cause);
        }
        @SuppressWarnings("unchecked")
        V v = (V) o.value;
        return v;
    }

    /** The caller of {@link #await} is cancelled: cancels what it awaited, returns the caller's cancellation. */
    private static CancelledException cancelled(TaskImpl<?> me, CompletionStage<?> stage, WaitSite what) {
        if (stage instanceof TaskFuture<?> view && view.task != me) {
            return Joining.cancelled(me, view.task, what, true);
        }
        if (stage instanceof Future<?> f) {
            f.cancel(true);
        }
        return me.cancellation();
    }

    /**
     * {@code Async.offload}: releases the baton, runs {@code work} on the task's own thread, then
     * queues for the baton again. A cancellation meanwhile interrupts {@code work} (see the offload
     * states of {@link TaskImpl}) and is thrown once the task has the baton back, with what
     * {@code work} threw suppressed.
     */
    public static <V extends @Nullable Object, E extends Exception> V offload(TaskImpl<?> me, AsyncCallable<V, E> work) throws E {
        me.checkCancelled();
        me.offloadBegins(new WaitSite("offload", work.getClass(), me.loop.ticker.read()));
        V value = null;
        Throwable error = null;
        try {
            value = work.call();
        } catch (Throwable e) {
            error = e;
        }
        me.offloadEnds();
        Scope r = Scope.responsible(me.scope);
        if (r != null) {
            CancelledException c = r.deliver(me);
            if (error != null) {
                c.addSuppressed(error);
            }
            throw c;
        }
        if (error != null) {
            throw Checks.<E>sneaky(error);
        }
        return value;
    }

    /**
     * Waits until {@code condition} holds, re-checking it after every signal. {@code signal} is what
     * other threads fire when the condition may have changed.
     *
     * @return {@code true} if a cancellation ended the wait, or was pending when it had to begin
     *     (only when {@code cancellable}): the caller passes it on as it sees fit, then throws it
     */
    static boolean waitUntil(TaskImpl<?> me, Object what, boolean cancellable, BooleanSupplier condition, Signal signal) {
        return waitUntil(me, what, cancellable, condition, signal, Long.MAX_VALUE) == TaskImpl.CANCEL;
    }

    /**
     * {@link #waitUntil(TaskImpl, Object, boolean, BooleanSupplier, Signal)} that gives up when the
     * loop's time reaches {@code deadline} ({@code Long.MAX_VALUE}: never).
     *
     * @return {@code null} once {@code condition} holds; {@link TaskImpl#CANCEL} if a cancellation
     *     ended the wait or was pending when it had to begin (only when {@code cancellable});
     *     {@link TaskImpl#TIMEOUT} if the deadline passed first
     */
    static @Nullable Object waitUntil(TaskImpl<?> me, Object what, boolean cancellable, BooleanSupplier condition, Signal signal,
                                      long deadline) {
        WakeTimer timer = null;
        try {
            while (!condition.getAsBoolean()) {
                long now = me.loop.ticker.read();
                if (now >= deadline) {
                    return TaskImpl.TIMEOUT;
                }
                long t = cancellable ? me.beginWaitUnlessCancelled(what, now) : me.beginWait(what, false, now);
                if (t == 0) {
                    return TaskImpl.CANCEL;
                }
                signal.ticket = t;
                if (deadline != Long.MAX_VALUE) {
                    if (timer == null) {
                        timer = me.timer();
                        timer.deadline = deadline;
                        timer.value = TaskImpl.TIMEOUT;
                        timer.ticket = t;
                        me.baton.addTimer(timer); // stays scheduled from wait to wait, until it fires or the wait ends
                    } else {
                        timer.ticket = t; // only the holder fires timers, and this task holds the baton now
                    }
                }
                if (condition.getAsBoolean()) {
                    me.wake(t, TaskImpl.WOKEN, now); // it changed before the ticket was visible to the signaller
                }
                Object v = me.suspend(now);
                signal.ticket = 0;
                if (v == TaskImpl.CANCEL || v == TaskImpl.TIMEOUT) {
                    return v;
                }
            }
            return null;
        } finally {
            if (timer != null) {
                me.baton.removeTimer(timer); // a no-op once it fired
            }
        }
    }
}
