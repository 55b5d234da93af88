package dev.taskloop.core.internal;

import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.Timeout;
import dev.taskloop.core.TimeoutExpiredException;
import java.time.Duration;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * {@link Timeout}: a scope with a deadline timer whose own expiry becomes {@link TimeoutExpiredException}.
 *
 * <h2>States</h2>
 * The states are {@link Scope}'s, with the two of its own that {@link Timeout} publishes:
 * <pre>
 *   NEW --call()--> ENTERED --deadline passes--> EXPIRING --body ends--> EXPIRED
 *                      |                                     (throws TimeoutExpiredException if the
 *                      |                                      timeout's own cancellation ended the body)
 *                      +--body ends first--> EXITED
 * </pre>
 * <table>
 *   <caption>Timeout states</caption>
 *   <tr><th>state</th><th>{@link #expired()}</th><th>{@link #reschedule}</th></tr>
 *   <tr><td>{@code NEW}</td><td>false</td><td>sets the deadline the scope will be entered with</td></tr>
 *   <tr><td>{@code ENTERED}</td><td>false</td><td>moves the deadline; one already passed expires
 *       the timeout at once (to {@code EXPIRING}); only from a task of the scope's loop</td></tr>
 *   <tr><td>{@code EXPIRING}</td><td>true</td><td>throws: already expired</td></tr>
 *   <tr><td>{@code EXPIRED}</td><td>true</td><td>throws: already expired</td></tr>
 *   <tr><td>{@code EXITED}</td><td>false</td><td>throws: already exited</td></tr>
 * </table>
 * The deadline passes when its timer fires, and a timer fires only when the baton changes hands: a
 * body that never reaches an await point never expires ({@link Timeout}'s first pitfall).
 *
 * @since 0.1.0
 */
public final class TimeoutScope extends Scope implements Timeout {

    private static final CancelReason DEADLINE_PASSED = CancelReason.of(CancelOrigin.TIMEOUT, "the deadline passed");

    /** A delay until entered (if {@code !absolute}), then the deadline. */
    private long value;
    private boolean absolute;
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
        state = State.EXPIRING;
        cancelNow(DEADLINE_PASSED);
    }

    @Override
    void onExit() {
        if (timer.isScheduled()) {
            loop.baton.removeTimer(timer);
        }
    }

    @Override
    <T extends @Nullable Object> @Nullable T ownCancellationCaught(CancelledException c) {
        if (state == State.EXPIRING) {
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
        if (state == State.NEW) {
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
        if (state == State.NEW) {
            value = nanos;
            absolute = false;
            return;
        }
        reschedule(Checks.deadline(loop.ticker.read(), nanos));
    }

    private void requireReschedulable() {
        State st = state;
        if (st == State.EXPIRING || st == State.EXPIRED) {
            throw new IllegalStateException(kind + " has already expired; create a new Timeout");
        }
        if (st == State.EXITED) {
            throw new IllegalStateException(kind + " has already exited; create a new Timeout");
        }
        if (st == State.ENTERED && !loop.holdsBaton()) {
            throw new IllegalStateException("Timeout.reschedule() must be called from a task of event loop '" + loop.name
                    + "', the loop that runs the timeout");
        }
    }

    @Override
    public boolean expired() {
        State st = state;
        return st == State.EXPIRING || st == State.EXPIRED;
    }
}
