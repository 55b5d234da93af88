package dev.taskloop.core.internal;

import dev.taskloop.core.Handle;
import java.util.concurrent.atomic.AtomicInteger;

/** A callback: a timer while it waits for its deadline, then an entry of the ready queue. */
final class CallbackHandle extends Timer implements Handle, Baton.Entry {
    private static final int PENDING = 0;
    private static final int STARTED = 1;
    private static final int CANCELLED = 2;

    final Runnable callback;
    final boolean internal;
    /** Loop time it joined the ready queue. */
    long readyAt;
    private final AtomicInteger state = new AtomicInteger(PENDING);

    CallbackHandle(Runnable callback, boolean internal, long deadline) {
        this.callback = callback;
        this.internal = internal;
        this.deadline = deadline;
    }

    @Override
    void fire(Baton baton, long now) {
        if (state.get() == PENDING) {
            baton.enqueueCallbackLocked(this, deadline);
        }
    }

    /** Runs the callback unless it was cancelled; returns whether it ran. */
    boolean runIfPending() {
        if (!state.compareAndSet(PENDING, STARTED)) {
            return false;
        }
        callback.run();
        return true;
    }

    @Override
    public boolean cancel() {
        return state.compareAndSet(PENDING, CANCELLED);
    }

    @Override
    public boolean isCancelled() {
        return state.get() == CANCELLED;
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
