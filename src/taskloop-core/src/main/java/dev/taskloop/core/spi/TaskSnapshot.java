package dev.taskloop.core.spi;

import dev.taskloop.core.CancelReason;
import dev.taskloop.core.Task;
import org.jspecify.annotations.Nullable;

/**
 * An immutable picture of a task. Times are loop time (the loop's ticker) in nanoseconds; the
 * three totals add up to the task's life so far: {@code awake} holding the baton, {@code asleep}
 * parked at await points (including offloaded blocking calls), {@code waiting} ready but queued for
 * the baton.
 *
 * @param id the task's id
 * @param name its name
 * @param loop its loop's name
 * @param group the name of the {@link dev.taskloop.core.TaskGroup} that owns it, or {@code null}
 * @param state its state
 * @param awakeNanos total time holding the baton
 * @param asleepNanos total time at await points
 * @param waitingNanos total time ready but not running
 * @param steps how many times it got the baton
 * @param awaiting what it waits on now, or {@code null} unless {@code ASLEEP}
 * @param cancelRequested whether cancellation was requested
 * @param cancelReason the reason (origin and message) of the cancellation that ended it or is pending, or {@code null}
 * @param failure what it threw if {@code FAILED}, else {@code null}
 * @param spawnedAt loop time it was spawned
 * @param endedAt loop time it ended, or {@code -1}
 * @since 0.1.0
 */
public record TaskSnapshot(long id, String name, String loop, @Nullable String group, Task.State state,
                           long awakeNanos, long asleepNanos, long waitingNanos, long steps, @Nullable Awaiting awaiting,
                           boolean cancelRequested, @Nullable CancelReason cancelReason, @Nullable Throwable failure,
                           long spawnedAt, long endedAt) {
}
