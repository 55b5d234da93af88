package dev.taskloop.core.internal;

import dev.taskloop.core.spi.LatencySnapshot;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Log-linear histogram of nanosecond durations (see {@link LatencySnapshot} for the buckets). One
 * writer (the baton holder) records with release stores, so recording costs a few plain
 * instructions; any thread may read a snapshot.
 */
final class LatencyHistogram {
    private static final int BUCKETS = LatencySnapshot.BUCKETS;
    private static final int TOTAL = BUCKETS;
    private static final int MAX = BUCKETS + 1;

    private final AtomicLongArray cells = new AtomicLongArray(BUCKETS + 2);

    /** Single writer only. */
    void record(long nanos) {
        if (nanos < 0) {
            nanos = 0;
        }
        int i = LatencySnapshot.bucketOf(nanos);
        cells.setRelease(i, cells.getPlain(i) + 1);
        cells.setRelease(TOTAL, cells.getPlain(TOTAL) + nanos);
        if (nanos > cells.getPlain(MAX)) {
            cells.setRelease(MAX, nanos);
        }
    }

    LatencySnapshot snapshot() {
        long[] counts = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = cells.getAcquire(i);
        }
        return LatencySnapshot.of(counts, cells.getAcquire(TOTAL), cells.getAcquire(MAX));
    }
}
