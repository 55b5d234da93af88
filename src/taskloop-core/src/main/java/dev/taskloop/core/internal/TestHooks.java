package dev.taskloop.core.internal;

import dev.taskloop.core.EventLoop;

/**
 * What {@link dev.taskloop.core.testing.TestLoop} drives a loop with, kept out of the loop's own
 * surface: waiting for quiescence, the next timer's deadline, and waking the driver after the
 * manual ticker moved. Not for anything else.
 *
 * @since 0.1.0
 */
public final class TestHooks {

    private final Baton baton;

    private TestHooks(Baton baton) {
        this.baton = baton;
    }

    /**
     * The hooks of {@code loop}.
     *
     * @throws IllegalArgumentException if {@code loop} is not a Taskloop loop
     */
    public static TestHooks of(EventLoop loop) {
        if (!(loop instanceof Loop l)) {
            throw new IllegalArgumentException("not a Taskloop event loop: " + loop);
        }
        return new TestHooks(l.baton);
    }

    /**
     * Waits (wall time) until the loop is quiescent: the baton is free, nothing is ready, no timer
     * is due at the current time and no offloaded call is running.
     *
     * @return whether it became quiescent in time
     */
    public boolean awaitQuiescent(long timeoutNanos) {
        return baton.awaitQuiescent(timeoutNanos);
    }

    /** The first timer's deadline, {@code Long.MAX_VALUE} without timers. */
    public long nextTimerDeadline() {
        return baton.nextTimerDeadline();
    }

    /** Wakes the driver so it looks at the time again (after a manual ticker moved). */
    public void poke() {
        baton.poke();
    }
}
