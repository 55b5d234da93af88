package dev.taskloop.core.internal;

import dev.taskloop.core.spi.LatencySnapshot;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Log-linear histogram of nanosecond durations: 8 sub-buckets per power of two, so a bucket's
 * bounds are within 12.5 % of each other. One writer (the baton holder) records with release
 * stores, so recording costs a few plain instructions; any thread may read a snapshot.
 */
final class LatencyHistogram {
    private static final int SUB = 8;
    private static final int BUCKETS = 62 * SUB;
    private static final int COUNT = BUCKETS;
    private static final int TOTAL = BUCKETS + 1;
    private static final int MAX = BUCKETS + 2;

    private final AtomicLongArray cells = new AtomicLongArray(BUCKETS + 3);

    static int index(long v) {
        if (v < SUB) {
            return (int) Math.max(v, 0);
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exp - 3)) & (SUB - 1);
        return (exp - 2) * SUB + sub;
    }

    /** Largest value that falls in bucket {@code i}. */
    static long upperBound(int i) {
        if (i < SUB) {
            return i;
        }
        int exp = i / SUB + 2;
        long lower = (long) (SUB + i % SUB) << (exp - 3);
        return lower + (1L << (exp - 3)) - 1;
    }

    /** Single writer only. */
    void record(long nanos) {
        if (nanos < 0) {
            nanos = 0;
        }
        int i = index(nanos);
        cells.setRelease(i, cells.getPlain(i) + 1);
        cells.setRelease(COUNT, cells.getPlain(COUNT) + 1);
        cells.setRelease(TOTAL, cells.getPlain(TOTAL) + nanos);
        if (nanos > cells.getPlain(MAX)) {
            cells.setRelease(MAX, nanos);
        }
    }

    LatencySnapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = cells.getAcquire(i);
            n += counts[i];
        }
        long max = cells.getAcquire(MAX);
        long total = cells.getAcquire(TOTAL);
        return new LatencySnapshot(n, total, max,
                percentile(counts, n, 0.50, max), percentile(counts, n, 0.90, max),
                percentile(counts, n, 0.99, max), percentile(counts, n, 0.999, max));
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
}
