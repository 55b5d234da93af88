package dev.taskloop.core.internal;

import dev.taskloop.core.Handle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A callback: a timer while it waits for its deadline, then an entry of the ready queue.
 *
 * <h2>States</h2>
 * <pre>
 *   PENDING --the driver runs it--> STARTED
 *      |
 *      +--cancel()--> CANCELLED
 * </pre>
 * A CAS decides between running and cancelling, so a callback runs at most once and never after
 * {@link #cancel()} returned {@code true}. A cancelled callback stays in the timer or ready queue
 * and is skipped when its turn comes. Thread-safe.
 */
final class CallbackHandle extends Timer implements Handle, Baton.Entry {

    /** A callback's lifecycle; see the class documentation. */
    enum State { PENDING, STARTED, CANCELLED }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CallbackHandle.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Runnable callback;
    final boolean internal;
    /** Loop time it joined the ready queue. */
    long readyAt;
    private volatile State state = State.PENDING;

    CallbackHandle(Runnable callback, boolean internal, long deadline) {
        this.callback = callback;
        this.internal = internal;
        this.deadline = deadline;
    }

    @Override
    void fire(Baton baton, long now) {
        if (state == State.PENDING) {
            baton.enqueueCallbackLocked(this, deadline);
        }
    }

    /** Runs the callback unless it was cancelled; returns whether it ran. */
    boolean runIfPending() {
        if (!STATE.compareAndSet(this, State.PENDING, State.STARTED)) {
            return false;
        }
        if (internal) {
            callback.run();
            return true;
        }
        try {
            callback.run();
        } catch (Throwable e) {
            // The application's callSoon / callLater / callAt: contained and reported (rate-limited) here.
            Loop l = Loop.callbackLoop();
            if (l == null) {
                throw e;
            }
            l.containment.failed(new Containment.Key(callback.getClass(), "callback"), "callback " + callback, e);
            l.notifyListeners("callbackFailed", x -> x.callbackFailed(String.valueOf(callback), e));
        }
        return true;
    }

    @Override
    public boolean cancel() {
        return STATE.compareAndSet(this, State.PENDING, State.CANCELLED);
    }

    @Override
    public boolean isCancelled() {
        return state == State.CANCELLED;
    }

    @Override
    public long when() {
        return deadline;
    }

    @Override
    public String toString() {
        return "callback " + callback;
    }
}
