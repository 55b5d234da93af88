package dev.taskloop.actuate.metrics;

import io.micrometer.core.instrument.Timer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A loop's lag observer that keeps Micrometer off the baton holder's path: the holder only stores
 * the sample in a ring (a few nanoseconds; recording into a {@link Timer} costs 60-70 ns), and
 * {@link #drain()}, called by the metrics thread, records the samples into the timer. When the ring
 * is full (more than its capacity of steps between two drains) the holder records into the timer
 * itself: slower, never lost.
 *
 * <p>One writer at a time: the loop calls its lag observer under its lock. One reader at a time:
 * {@link #drain()} is synchronized.
 */
final class LagRecorder implements LongConsumer {

    /** Samples held between two drains before the holder records directly. */
    static final int CAPACITY = 1 << 14;

    private static final VarHandle WRITTEN;
    private static final VarHandle READ;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WRITTEN = l.findVarHandle(LagRecorder.class, "written", long.class);
            READ = l.findVarHandle(LagRecorder.class, "read", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] ring = new long[CAPACITY];
    private final Timer timer;
    private long written;
    private long read;

    LagRecorder(Timer timer) {
        this.timer = timer;
    }

    @Override
    public void accept(long nanos) {
        long w = (long) WRITTEN.getOpaque(this);
        if (w - (long) READ.getAcquire(this) >= CAPACITY) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
            return;
        }
        ring[(int) (w & (CAPACITY - 1))] = nanos;
        WRITTEN.setRelease(this, w + 1);
    }

    /** Records the samples stored so far into the timer. */
    synchronized void drain() {
        long w = (long) WRITTEN.getAcquire(this);
        long r = (long) READ.getOpaque(this);
        for (; r < w; r++) {
            timer.record(ring[(int) (r & (CAPACITY - 1))], TimeUnit.NANOSECONDS);
        }
        READ.setRelease(this, r);
    }
}
