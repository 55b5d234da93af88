package dev.taskloop.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Admission control for {@code spawn}: what a loop does when it is over its limit of live tasks,
 * or (with a lag SLO) when its recent ready-to-running lag p99 is over the SLO. Bounded queues
 * already push back on producers; this covers ad-hoc spawning, such as a bug that spawns in a loop
 * without end.
 *
 * <table>
 *   <caption>Modes</caption>
 *   <tr><th>{@link Mode}</th><th>over the limit, {@code spawn}...</th></tr>
 *   <tr><td>{@code WAIT}</td><td>waits until a task ends (or the lag recovers): an await point
 *       inside a task (cancellable), a blocking wait on other threads; fails in a loop callback</td></tr>
 *   <tr><td>{@code FAIL}</td><td>throws {@link java.util.concurrent.RejectedExecutionException}
 *       naming the loop, the limit and the figure over it</td></tr>
 *   <tr><td>{@code SHED}</td><td>returns a task that is already {@code CANCELLED} ("shed by admission
 *       control") and never runs; the caller can see it was dropped</td></tr>
 * </table>
 * Admission is checked for every spawn on the loop, task-group children included. Waiters are
 * admitted roughly in arrival order (a spawner arriving just as a task ends may go first).
 *
 * @param maxTasks the most live tasks the loop admits (at least 1)
 * @param lagSlo the lag p99 over which the loop counts as overloaded, over a window of about a
 *     quarter of a second; {@link Duration#ZERO} for none
 * @param mode what {@code spawn} does over the limit
 * @since 0.1.0
 */
public record Admission(int maxTasks, Duration lagSlo, Mode mode) {

    /**
     * What {@code spawn} does when the loop is over its limit.
     *
     * @since 0.1.0
     */
    public enum Mode { WAIT, FAIL, SHED }

    /**
     * The default: at most 100,000 live tasks (a few hundred megabytes at most), waiting beyond
     * that; no lag SLO. Enough headroom for any sane service, a wall for a runaway spawner.
     */
    public static final Admission DEFAULT = new Admission(100_000, Duration.ZERO, Mode.WAIT);

    public Admission {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("admission maxTasks must be at least 1, but was " + maxTasks);
        }
        Objects.requireNonNull(lagSlo, "lagSlo");
        if (lagSlo.isNegative()) {
            throw new IllegalArgumentException("admission lagSlo must not be negative, but was " + lagSlo
                    + " (use Duration.ZERO for no lag SLO)");
        }
        Objects.requireNonNull(mode, "mode");
    }
}
