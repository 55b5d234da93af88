package dev.taskloop.core.internal;

/** Wakes a task's current wait when its deadline passes (sleep, join timeout). One per task, reused. */
final class WakeTimer extends Timer {
    private final TaskImpl<?> task;
    long ticket;
    Object value;

    WakeTimer(TaskImpl<?> task) {
        this.task = task;
    }

    @Override
    void fire(Baton baton, long now) {
        task.wake(ticket, value, deadline);
    }
}
