package dev.taskloop.core.internal;

import org.jspecify.annotations.Nullable;

/** Wakes a task's current wait when its deadline passes (sleep, join timeout). One per task, reused. */
final class WakeTimer extends Timer {
    private final TaskImpl<?> task;
    long ticket;
    /** What the wait ends with when the timer fires: {@code WOKEN} for a sleep, {@code TIMEOUT} for a join; set before it is scheduled. */
    @Nullable Object value;

    WakeTimer(TaskImpl<?> task) {
        this.task = task;
    }

    @Override
    void fire(Baton baton, long now) {
        task.wake(ticket, value, deadline);
    }
}
