package dev.taskloop.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * Rate limiting of one kind of repeated report (the slow steps of one loop): the first report of a
 * burst is logged in full (with its stack); those that follow within the interval are only counted,
 * and one summary line per interval says how many there were and what the latest was. A burst ends
 * when a whole interval passes without a report; the next report is logged in full again. Listeners
 * (the endpoint) still see every report with its stack: only the log is limited.
 *
 * <p>Thread-safety: synchronized; reports come from the baton holder and the watchdog thread.
 */
final class RepeatedReports {

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

    /**
     * {@code what} names the reports in the summary ({@code "loop 'main': slow steps"});
     * {@code intervalNanos} 0 turns rate limiting off: every report is logged in full.
     */
    RepeatedReports(String what, long intervalNanos) {
        this.what = what;
        this.intervalNanos = intervalNanos;
    }

    /**
     * A report ({@code oneLine} describes it) arrives at wall time {@code now}: whether to log it in
     * full, and a summary of the suppressed ones to log first if their interval has passed.
     */
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

    /** The summary due at {@code now} (the interval of suppressed reports has passed), or {@code null}. */
    synchronized @Nullable String due(long now) {
        return intervalNanos != 0 && suppressed > 0 && now - windowStart >= intervalNanos ? takeSummary(now) : null;
    }

    private @Nullable String takeSummary(long now) {
        if (suppressed == 0) {
            return null;
        }
        long ms = Math.max(1, (now - windowStart) / 1_000_000);
        String s = what + ": " + suppressed + " more report(s) in the last " + (ms >= 10_000 ? ms / 1000 + " s" : ms + " ms")
                + " (logged once per interval; each with its stack in the taskloop endpoint), latest: " + latest;
        suppressed = 0;
        latest = null;
        windowStart = now;
        return s;
    }
}
