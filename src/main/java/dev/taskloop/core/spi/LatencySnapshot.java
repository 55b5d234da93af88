package dev.taskloop.core.spi;

/**
 * A distribution of durations (nanoseconds) since the loop started, kept in log-linear buckets
 * with at most 1/8 (12.5 %) relative error; {@code max} and {@code total} are exact.
 *
 * @param count number of samples
 * @param totalNanos sum of all samples
 * @param maxNanos largest sample
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 */
public record LatencySnapshot(long count, long totalNanos, long maxNanos, long p50, long p90, long p99, long p999) {

    /** The mean, or 0 without samples. */
    public double mean() {
        return count == 0 ? 0 : (double) totalNanos / count;
    }
}
