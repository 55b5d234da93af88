package dev.taskloop.core.spi;

import dev.taskloop.core.internal.Checks;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Rate limiting of one kind of repeated log report (a loop's slow steps, a declared task's
 * failures): the first report of a burst is logged in full (with its stack); those that follow
 * within the interval are only counted, and one summary line per interval says how many there were
 * and what the latest was. A burst ends when a whole interval passes without a report; the next
 * report is logged in full again. Only the log is limited: listeners and the endpoint still get
 * every report. Times are whatever clock the caller passes, in nanoseconds (the loop's time for
 * reports that must follow virtual time).
 *
 * <p>For integrations (the Spring module's supervisors) as well as the core's watchdog, so that both
 * logs read the same.
 *
 * <p>Thread-safety: synchronized; reports may come from the baton holder and the watchdog thread.
 *
 * @since 0.1.0
 */
public final class RepeatedReports {

    /** What to do with a report; {@code summary}, when not null, is to be logged first. */
    public record Decision(boolean full, @Nullable String summary) {
    }

    private final String what;
    private final String counted;
    private final String note;
    private final long intervalNanos;
    private boolean active;
    private long windowStart;
    private long lastReport;
    private int suppressed;
    private @Nullable String latest;

    /**
     * A summary line reads {@code <what>: <n> more <counted> in the last <t> (<note>), latest: <line>}.
     * An {@code interval} of zero turns rate limiting off: every report is logged in full.
     *
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public RepeatedReports(String what, String counted, String note, Duration interval) {
        this.what = what;
        this.counted = counted;
        this.note = note;
        this.intervalNanos = Checks.saturatedNanos(Checks.nonNegative("reportInterval", interval));
    }

    /**
     * A report ({@code oneLine} describes it) arrives at {@code now}: whether to log it in full, and a
     * summary of the suppressed ones to log first if their interval has passed.
     */
    public synchronized Decision offer(long now, String oneLine) {
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
    public synchronized @Nullable String due(long now) {
        return intervalNanos != 0 && suppressed > 0 && now - windowStart >= intervalNanos ? takeSummary(now) : null;
    }

    /** Whether a report at {@code now} would be counted rather than logged in full. */
    public synchronized boolean inBurst(long now) {
        return intervalNanos != 0 && active && suppressed > 0 && now - lastReport < intervalNanos;
    }

    private @Nullable String takeSummary(long now) {
        if (suppressed == 0) {
            return null;
        }
        long ms = Math.max(1, (now - windowStart) / 1_000_000);
        String s = what + ": " + suppressed + " more " + counted + " in the last " + (ms >= 10_000 ? ms / 1000 + " s" : ms + " ms")
                + " (" + note + "), latest: " + latest;
        suppressed = 0;
        latest = null;
        windowStart = now;
        return s;
    }
}
