package dev.taskloop.core.spi;

/**
 * Admission control of a loop (see {@link dev.taskloop.core.Admission}), now and in total.
 *
 * @param maxTasks the live-task limit
 * @param lagSloNanos the lag SLO, 0 for none
 * @param mode {@code WAIT}, {@code FAIL} or {@code SHED}
 * @param overloaded whether recent lag p99 is over the SLO now
 * @param waiting spawns waiting for admission now
 * @param waited spawns that had to wait, so far
 * @param rejected spawns that failed, so far
 * @param shed spawns that were shed, so far
 * @since 0.1.0
 */
public record AdmissionSnapshot(int maxTasks, long lagSloNanos, String mode, boolean overloaded, int waiting,
                                long waited, long rejected, long shed) {
}
