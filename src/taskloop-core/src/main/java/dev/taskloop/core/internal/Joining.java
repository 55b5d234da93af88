package dev.taskloop.core.internal;

import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.Task;
import dev.taskloop.core.TimeoutExpiredException;
import dev.taskloop.core.spi.Describe;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Waiting for one task to end: {@link Task#join} from a task (an await point; asyncio's
 * {@code await task}, which passes the joiner's cancellation on), {@code Async.shield} (which does
 * not), and {@code join} from a thread that is not a task (a plain blocking wait).
 *
 * <p>A join waits until the target {@linkplain TaskImpl#hasEnded() has ended} (its end counted and
 * announced), not merely until its state is final. A cancellation of the joiner is passed on the
 * same way whether it was already pending when {@code join()} was called or came while it waited:
 * the target is cancelled, the joiner waits (not cancellably) until it has ended, then throws its
 * own cancellation.
 *
 * @since 0.1.0
 */
public final class Joining {

    private Joining() {
    }

    /** {@link Task#join}; {@code timeoutNanos < 0} waits without a limit. */
    static <T extends @Nullable Object> T join(TaskImpl<T> target, long timeoutNanos) {
        TaskImpl<?> me = TaskImpl.current();
        if (me == null) {
            return blocking(target, timeoutNanos);
        }
        TaskImpl.require("Task.join()");
        if (me == target) {
            throw joinsItself(target);
        }
        if (!target.hasEnded()) {
            await(me, target, true, timeoutNanos);
        }
        return target.outcome();
    }

    /** {@code Async.shield}: joins without passing a cancellation of the caller on. */
    public static <V extends @Nullable Object> V shielded(TaskImpl<?> me, Task<V> task) {
        TaskImpl<V> target = (TaskImpl<V>) task;
        if (target == me) {
            throw joinsItself(me);
        }
        if (!target.hasEnded()) {
            await(me, target, false, -1);
        }
        return target.outcome();
    }

    private static IllegalStateException joinsItself(TaskImpl<?> t) {
        return new IllegalStateException(Describe.task(t) + " cannot join itself: it would wait forever; join it from another task, or have it return its result");
    }

    /** The task {@code me} waits for {@code target} to end, at an await point. */
    private static void await(TaskImpl<?> me, TaskImpl<?> target, boolean propagateCancel, long timeoutNanos) {
        long now = me.loop.ticker.read();
        WaitSite what = new WaitSite("join", target, now);
        long t = me.beginWaitUnlessCancelled(what, now);
        if (t == 0) {
            throw cancelled(me, target, what, propagateCancel);
        }
        Consumer<TaskImpl<?>> listener = d -> me.wake(t, TaskImpl.WOKEN, me.loop.ticker.read());
        target.addCompletionListener(listener);
        WakeTimer w = null;
        if (timeoutNanos >= 0) {
            w = me.timer();
            w.deadline = Checks.deadline(now, timeoutNanos);
            w.ticket = t;
            w.value = TaskImpl.TIMEOUT;
            me.baton.addTimer(w);
        }
        Object v = me.suspend(now);
        if (w != null && v != TaskImpl.TIMEOUT) {
            me.baton.removeTimer(w);
        }
        if (v == TaskImpl.WOKEN) {
            return;
        }
        target.removeCompletionListener(listener);
        if (v == TaskImpl.TIMEOUT) {
            throw new TimeoutExpiredException("task '" + target.name() + "' did not end within " + Durations.format(timeoutNanos), null);
        }
        throw cancelled(me, target, what, propagateCancel);
    }

    /**
     * The joiner {@code me} is cancelled (pending, or woken by it): asyncio cancels the awaited task
     * too, and the awaiter waits for it to end; a shielded join ({@code !propagate}) stops at once.
     * Returns the joiner's cancellation, to throw.
     */
    static CancelledException cancelled(TaskImpl<?> me, TaskImpl<?> target, WaitSite what, boolean propagate) {
        if (propagate && !target.hasEnded()) {
            target.cancel(CancelReason.of(CancelOrigin.JOINER_CANCELLED, "the task joining it ('" + me.name() + "') was cancelled"));
            Signal s = new Signal(me);
            target.addCompletionListener(d -> s.fire());
            AwaitPoints.waitUntil(me, what, false, target::hasEnded, s);
        }
        return me.cancellation();
    }

    /** {@link Task#join} from a thread that is not a task: parks it until {@code target} has ended. */
    private static <T extends @Nullable Object> T blocking(TaskImpl<T> target, long timeoutNanos) {
        Loop cb = Loop.callbackLoop();
        if (cb != null) {
            throw new IllegalStateException("Task.join() was called from a callback of event loop '" + cb.name
                    + "'; callbacks run on the loop and must not block it: use onDone(...), or join from a task");
        }
        if (!target.hasEnded()) {
            Thread me = Thread.currentThread();
            Consumer<TaskImpl<?>> listener = d -> LockSupport.unpark(me);
            target.addCompletionListener(listener);
            long deadline = System.nanoTime() + timeoutNanos;
            boolean interrupted = false;
            try {
                while (!target.hasEnded()) {
                    if (timeoutNanos < 0) {
                        LockSupport.park(target);
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new TimeoutExpiredException("task '" + target.name() + "' did not end within "
                                    + Durations.format(timeoutNanos), null);
                        }
                        LockSupport.parkNanos(target, left);
                    }
                    if (Thread.interrupted()) {
                        interrupted = true;
                    }
                }
            } finally {
                target.removeCompletionListener(listener);
                if (interrupted) {
                    me.interrupt();
                }
            }
        }
        return target.outcome();
    }
}
