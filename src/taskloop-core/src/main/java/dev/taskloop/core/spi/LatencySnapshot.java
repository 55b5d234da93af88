package dev.taskloop.core.spi;

import java.util.Arrays;

/**
 * A distribution of durations (nanoseconds) since the loop started, kept in log-linear buckets
 * with at most 1/8 (12.5 %) relative error; {@code max} and {@code total} are exact. Cumulative:
 * {@link #since} gives the distribution of the samples recorded between two snapshots, which is
 * how health checks look at recent lag rather than lag since startup.
 *
 * @param count number of samples
 * @param totalNanos sum of all samples
 * @param maxNanos largest sample (for a {@link #since} window: the upper bound of its highest bucket)
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param buckets sample count per bucket; bucket {@code i} holds values up to {@link #upperBound(int)}
 * @since 0.1.0
 */
public record LatencySnapshot(long count, long totalNanos, long maxNanos, long p50, long p90, long p99, long p999,
                              long[] buckets) {

    private static final int SUB = 8;
    /** Number of buckets. */
    public static final int BUCKETS = 62 * SUB;

    public LatencySnapshot {
        buckets = buckets.clone();
    }

    /** A snapshot of the given bucket counts, with its percentiles computed. */
    public static LatencySnapshot of(long[] buckets, long totalNanos, long maxNanos) {
        long n = 0;
        for (long c : buckets) {
            n += c;
        }
        return new LatencySnapshot(n, totalNanos, maxNanos, percentile(buckets, n, 0.50, maxNanos),
                percentile(buckets, n, 0.90, maxNanos), percentile(buckets, n, 0.99, maxNanos),
                percentile(buckets, n, 0.999, maxNanos), buckets);
    }

    /** The samples recorded after {@code earlier} (a snapshot of the same loop) up to this one. */
    public LatencySnapshot since(LatencySnapshot earlier) {
        long[] d = new long[BUCKETS];
        int top = -1;
        for (int i = 0; i < BUCKETS; i++) {
            d[i] = Math.max(0, buckets[i] - earlier.buckets[i]);
            if (d[i] > 0) {
                top = i;
            }
        }
        long max = top < 0 ? 0 : Math.min(upperBound(top), maxNanos);
        return of(d, Math.max(0, totalNanos - earlier.totalNanos), max);
    }

    /** The bucket a value falls in. */
    public static int bucketOf(long nanos) {
        if (nanos < SUB) {
            return (int) Math.max(nanos, 0);
        }
        int exp = 63 - Long.numberOfLeadingZeros(nanos);
        int sub = (int) (nanos >>> (exp - 3)) & (SUB - 1);
        return (exp - 2) * SUB + sub;
    }

    /** The largest value in bucket {@code i}. */
    public static long upperBound(int i) {
        if (i < SUB) {
            return i;
        }
        int exp = i / SUB + 2;
        long lower = (long) (SUB + i % SUB) << (exp - 3);
        return lower + (1L << (exp - 3)) - 1;
    }

    private static long percentile(long[] counts, long n, double q, long max) {
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    /** The mean, or 0 without samples. */
    public double mean() {
        return count == 0 ? 0 : (double) totalNanos / count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencySnapshot s && count == s.count && totalNanos == s.totalNanos && maxNanos == s.maxNanos
                && Arrays.equals(buckets, s.buckets);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Arrays.hashCode(buckets);
    }

    @Override
    public String toString() {
        return "LatencySnapshot[count=" + count + ", mean=" + Math.round(mean()) + ", p50=" + p50 + ", p90=" + p90
                + ", p99=" + p99 + ", p999=" + p999 + ", max=" + maxNanos + "]";
    }
}
