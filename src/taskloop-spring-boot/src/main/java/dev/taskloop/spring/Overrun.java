package dev.taskloop.spring;

/**
 * What a periodic task does when a run ends after the time of the next run (or several) has passed.
 *
 * @since 0.1.0
 */
public enum Overrun {
    /** Skip the missed runs and wait for the next scheduled time (the schedule stays aligned). */
    SKIP,
    /** Run every missed run back to back until caught up (what {@code @Scheduled(fixedRate)} does). */
    CATCH_UP
}
