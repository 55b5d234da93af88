package dev.taskloop.spring.support;

import dev.taskloop.core.spi.LatencySnapshot;
import dev.taskloop.core.spi.LoopSnapshot;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A few samples of each loop spread over the last {@code window} of loop time, and a loop's figures
 * between the oldest of them and a newer snapshot: the recent window of lag and utilization. A sample
 * is kept when the newest is at least 1/8 of the window old, so the figures cover between 7/8 of the
 * window and all of it (less while the loop is younger than that).
 *
 * <p>Thread-safe: the sampler records, any thread reads.
 */
final class RecentWindows {

    private final long window;
    private final Map<String, Samples> loops = new HashMap<>();

    /** @param windowNanos the recent window, in loop time */
    RecentWindows(long windowNanos) {
        this.window = windowNanos;
    }

    /** Adds a sample of a loop (kept when its newest is at least 1/8 of the window old). */
    synchronized void record(LoopSnapshot s) {
        loops.computeIfAbsent(s.name(), n -> new Samples()).add(s, window);
    }

    /** The loop's figures over the recent window, up to {@code now} (a snapshot of that loop). */
    synchronized LoopAssessment.Recent recent(LoopSnapshot now) {
        Samples w = loops.get(now.name());
        Sample base = w == null ? null : w.baseline(now.elapsedNanos(), window);
        if (base == null || base.elapsed > now.elapsedNanos()) {
            return new LoopAssessment.Recent(now.elapsedNanos(), now.lag(), now.utilization());
        }
        long span = now.elapsedNanos() - base.elapsed;
        double util = span <= 0 ? 0 : Math.min(1.0, (double) (now.busyNanos() - base.busy) / span);
        return new LoopAssessment.Recent(span, now.lag().since(base.lag), util);
    }

    private record Sample(long elapsed, long busy, LatencySnapshot lag) {
    }

    /** The samples of one loop. */
    private static final class Samples {
        private final ArrayDeque<Sample> samples = new ArrayDeque<>();

        void add(LoopSnapshot s, long window) {
            Sample last = samples.peekLast();
            if (last != null && s.elapsedNanos() - last.elapsed < window / 8) {
                return;
            }
            samples.addLast(new Sample(s.elapsedNanos(), s.busyNanos(), s.lag()));
            while (samples.size() > 1 && s.elapsedNanos() - samples.peekFirst().elapsed > window) {
                samples.pollFirst();
            }
        }

        /** The oldest sample at most {@code window} old; else the newest; {@code null} without samples. */
        @Nullable Sample baseline(long now, long window) {
            for (Sample s : samples) {
                if (now - s.elapsed <= window) {
                    return s;
                }
            }
            return samples.peekLast();
        }
    }
}
