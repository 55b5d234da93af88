package dev.taskloop.core.internal;

/**
 * Wakes a task waiting in {@link AwaitPoints#waitUntil} when what it waits for may have changed.
 * Thread-safe: completions on other loops fire it too.
 */
final class Signal {
    private final TaskImpl<?> owner;
    volatile long ticket;

    Signal(TaskImpl<?> owner) {
        this.owner = owner;
    }

    void fire() {
        long t = ticket;
        if (t != 0) {
            owner.wake(t, TaskImpl.WOKEN, owner.loop.ticker.read());
        }
    }
}
