package dev.taskloop.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * An immutable picture of a loop. Times are nanoseconds; cumulative figures count from the loop's
 * start, so rates and windows come from the difference of two snapshots.
 *
 * @param name the loop's name
 * @param time the loop's time (its ticker)
 * @param closed whether it is closing or closed
 * @param readyDepth tasks and callbacks in the ready queue now
 * @param liveTasks tasks alive now
 * @param offloads tasks running a blocking call through {@code offload} now
 * @param spawned tasks spawned so far
 * @param completed tasks that completed normally so far
 * @param failed tasks that failed so far
 * @param cancelled tasks that ended cancelled so far
 * @param busyNanos loop time the baton was held (by tasks or callbacks) so far
 * @param elapsedNanos loop time since the loop started
 * @param steps how many times the baton was taken so far
 * @param slowSteps steps that held the baton at least the slow-step threshold (wall time)
 * @param blockedSteps slow steps whose holder was seen parked in a non-Taskloop wait
 * @param lag the ready-to-running delay of every step so far
 * @param holderId the task holding the baton now, {@code -1} for none or callbacks
 * @param holderName its name ({@code "<callbacks>"} for the driver), or {@code null}
 * @param heldForNanos how long the current holder has held the baton (wall time), 0 without one
 * @param slowStepThresholdNanos the slow-step threshold
 * @param admission admission control: limits, state, and what it did so far
 * @since 0.1.0
 */
public record LoopSnapshot(String name, long time, boolean closed, int readyDepth, int liveTasks, int offloads,
                           long spawned, long completed, long failed, long cancelled,
                           long busyNanos, long elapsedNanos, long steps, long slowSteps, long blockedSteps,
                           LatencySnapshot lag, long holderId, @Nullable String holderName, long heldForNanos,
                           long slowStepThresholdNanos, AdmissionSnapshot admission) {

    /** Share of time the baton was held since the start, in [0, 1]. */
    public double utilization() {
        return elapsedNanos <= 0 ? 0 : Math.min(1.0, (double) busyNanos / elapsedNanos);
    }

    /** Share of time the baton was held between {@code earlier} and this snapshot, in [0, 1]. */
    public double utilizationSince(LoopSnapshot earlier) {
        long elapsed = elapsedNanos - earlier.elapsedNanos;
        return elapsed <= 0 ? 0 : Math.min(1.0, (double) (busyNanos - earlier.busyNanos) / elapsed);
    }
}
