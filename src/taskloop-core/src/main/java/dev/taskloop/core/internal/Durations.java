package dev.taskloop.core.internal;

/**
 * Human-readable durations for messages and snapshots.
 *
 * @since 0.1.0
 */
public final class Durations {
    private Durations() {
    }

    /** {@code 250 µs}, {@code 30 ms}, {@code 1.5 s}, {@code 2 min}. */
    public static String format(long nanos) {
        if (nanos == Long.MAX_VALUE) {
            return "forever";
        }
        if (nanos < 1_000_000) {
            return nanos < 1_000 ? nanos + " ns" : nanos / 1_000 + " µs";
        }
        if (nanos < 10_000_000_000L) {
            double ms = nanos / 1e6;
            return (ms == Math.rint(ms) ? String.valueOf((long) ms) : String.format("%.1f", ms)) + " ms";
        }
        long s = nanos / 1_000_000_000L;
        return s < 600 ? s + " s" : s / 60 + " min";
    }
}
