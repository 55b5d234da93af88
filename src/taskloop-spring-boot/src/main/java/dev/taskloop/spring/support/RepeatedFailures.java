package dev.taskloop.spring.support;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The log's rate limit for one declared task's (or group's) repeated failures and restarts
 * ({@code taskloop.report-interval}): the first failure of a burst is logged with its stack; the
 * next ones within the interval are only counted, and one summary line per interval says how many
 * there were and what the latest was. A burst ends when a whole interval passes without a failure;
 * the next one is logged with its stack again. The endpoint keeps the last failure with its stack
 * ({@code lastFailure}), whatever the log shows. Times are the loop's ({@code EventLoop.time()}), so
 * a task under a {@code TestLoop} is rate-limited in virtual time.
 *
 * <p>Thread-safety: synchronized (a group's children report from their own tasks of one loop).
 */
final class RepeatedFailures {

    /** What to do with a report; {@code summary}, when not null, is to be logged first. */
    record Decision(boolean full, @Nullable String summary) {
    }

    private final String what;
    private final long intervalNanos;
    private boolean active;
    private long windowStart;
    private long lastReport;
    private int suppressed;
    private @Nullable String latest;

    RepeatedFailures(String what, Duration interval) {
        this.what = what;
        this.intervalNanos = interval.toNanos();
    }

    /** A failure ({@code oneLine} says what) at loop time {@code now}: log it in full or count it. */
    synchronized Decision offer(long now, String oneLine) {
        if (intervalNanos == 0) {
            return new Decision(true, null);
        }
        if (!active || now - lastReport >= intervalNanos) {
            String summary = takeSummary(now);
            active = true;
            windowStart = now;
            lastReport = now;
            return new Decision(true, summary);
        }
        lastReport = now;
        suppressed++;
        latest = oneLine;
        return new Decision(false, now - windowStart >= intervalNanos ? takeSummary(now) : null);
    }

    /** Whether a failure at {@code now} would be counted rather than logged: its restart line is then left out too. */
    synchronized boolean inBurst(long now) {
        return intervalNanos != 0 && active && suppressed > 0 && now - lastReport < intervalNanos;
    }

    private @Nullable String takeSummary(long now) {
        if (suppressed == 0) {
            return null;
        }
        long ms = Math.max(1, (now - windowStart) / 1_000_000);
        String s = what + ": " + suppressed + " more failure(s) and restart(s) in the last " + (ms >= 10_000 ? ms / 1000 + " s" : ms + " ms")
                + " (logged once per taskloop.report-interval; the last failure with its stack is in the taskloop endpoint), latest: " + latest;
        suppressed = 0;
        latest = null;
        windowStart = now;
        return s;
    }
}
