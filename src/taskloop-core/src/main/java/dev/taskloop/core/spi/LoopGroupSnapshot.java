package dev.taskloop.core.spi;

import java.util.List;

/**
 * An immutable picture of an {@link dev.taskloop.core.EventLoopGroup}: every loop's snapshot, and
 * the group's totals. Cumulative figures count from the loops' start.
 *
 * @param name the group's name
 * @param loops each loop's snapshot, in the group's order
 * @param readyDepth tasks and callbacks queued for a baton now, over all loops
 * @param liveTasks tasks alive now
 * @param offloads offloaded blocking calls running now
 * @param spawned tasks spawned so far
 * @param completed tasks that completed normally so far
 * @param failed tasks that failed so far
 * @param cancelled tasks that ended cancelled so far
 * @param busyNanos baton-held time summed over the loops
 * @param steps steps summed over the loops
 * @param slowSteps slow steps summed over the loops
 * @param blockedSteps blocked steps summed over the loops
 * @param maxLagP99Nanos the worst loop's 99th-percentile lag (percentiles do not add up)
 * @since 0.1.0
 */
public record LoopGroupSnapshot(String name, List<LoopSnapshot> loops, int readyDepth, int liveTasks, int offloads,
                                long spawned, long completed, long failed, long cancelled,
                                long busyNanos, long steps, long slowSteps, long blockedSteps, long maxLagP99Nanos) {

    public LoopGroupSnapshot {
        loops = List.copyOf(loops);
    }

    /** Builds the totals from the loops' snapshots. */
    public static LoopGroupSnapshot of(String name, List<LoopSnapshot> loops) {
        int ready = 0;
        int live = 0;
        int off = 0;
        long sp = 0;
        long co = 0;
        long fa = 0;
        long ca = 0;
        long busy = 0;
        long st = 0;
        long slow = 0;
        long blocked = 0;
        long lag = 0;
        for (LoopSnapshot l : loops) {
            ready += l.readyDepth();
            live += l.liveTasks();
            off += l.offloads();
            sp += l.spawned();
            co += l.completed();
            fa += l.failed();
            ca += l.cancelled();
            busy += l.busyNanos();
            st += l.steps();
            slow += l.slowSteps();
            blocked += l.blockedSteps();
            lag = Math.max(lag, l.lag().p99());
        }
        return new LoopGroupSnapshot(name, loops, ready, live, off, sp, co, fa, ca, busy, st, slow, blocked, lag);
    }

    /**
     * The group's utilization since the start: the mean of its loops' utilizations, in [0, 1]
     * (1 means every loop held its baton all the time).
     */
    public double utilization() {
        return loops.isEmpty() ? 0 : loops.stream().mapToDouble(LoopSnapshot::utilization).average().orElse(0);
    }
}
