package dev.taskloop.core.internal;

import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.Timeout;
import dev.taskloop.core.TimeoutExpiredException;
import java.time.Duration;
import java.util.OptionalLong;

/** {@link Timeout}: a scope with a deadline timer whose own expiry becomes {@link TimeoutExpiredException}. */
public final class TimeoutScope extends Scope implements Timeout {

    private static final CancelReason DEADLINE_PASSED = CancelReason.of(CancelOrigin.TIMEOUT, "the deadline passed");

    /** A delay until entered (if {@code !absolute}), then the deadline. */
    private long value;
    private boolean absolute;
    private volatile boolean expired;
    private final Timer timer = new Timer() {
        @Override
        void fire(Baton baton, long now) {
            expire();
        }
    };

    public TimeoutScope(long value, boolean absolute) {
        super(false, "timeout");
        this.value = value;
        this.absolute = absolute;
    }

    @Override
    void onEnter(TaskImpl<?> me) {
        long now = me.loop.ticker.read();
        if (!absolute) {
            kind = "timeout of " + Durations.format(value);
            value = Checks.deadline(now, value);
            absolute = true;
        }
        arm(now);
    }

    private void arm(long now) {
        if (value == Long.MAX_VALUE) {
            return;
        }
        if (value <= now) {
            expire();
        } else {
            timer.deadline = value;
            loop.baton.addTimer(timer);
        }
    }

    private void expire() {
        expired = true;
        cancelNow(DEADLINE_PASSED);
    }

    @Override
    void onExit() {
        if (timer.isScheduled()) {
            loop.baton.removeTimer(timer);
        }
    }

    @Override
    <T> T ownCancellationCaught(CancelledException c) {
        if (expired) {
            throw new TimeoutExpiredException(kind + " expired", c);
        }
        return null;
    }

    @Override
    public OptionalLong when() {
        return !absolute || value == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(value);
    }

    @Override
    public void reschedule(long deadline) {
        requireReschedulable();
        if (state == NEW) {
            value = deadline;
            absolute = true;
            return;
        }
        if (timer.isScheduled()) {
            loop.baton.removeTimer(timer);
        }
        value = deadline;
        arm(loop.ticker.read());
    }

    @Override
    public void rescheduleAfter(Duration delay) {
        long nanos = Checks.saturatedNanos(Checks.nonNegative("timeout delay", delay));
        requireReschedulable();
        if (state == NEW) {
            value = nanos;
            absolute = false;
            return;
        }
        reschedule(Checks.deadline(loop.ticker.read(), nanos));
    }

    private void requireReschedulable() {
        if (expired) {
            throw new IllegalStateException(kind + " has already expired; create a new Timeout");
        }
        if (state == EXITED) {
            throw new IllegalStateException(kind + " has already exited; create a new Timeout");
        }
        if (state == ENTERED && !loop.holdsBaton()) {
            throw new IllegalStateException("Timeout.reschedule() must be called from a task of event loop '" + loop.name
                    + "', the loop that runs the timeout");
        }
    }

    @Override
    public boolean expired() {
        return expired;
    }
}
