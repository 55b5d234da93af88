package dev.taskloop.spring.support;

import java.time.Duration;

/**
 * OTP's restart intensity: at most {@code maxRestarts} restarts within any {@code window}; one more
 * and the supervisor gives up.
 *
 * @param maxRestarts restarts allowed within the window (≥ 0)
 * @param window the sliding window (> 0)
 * @since 0.1.0
 */
public record RestartIntensity(int maxRestarts, Duration window) {

    /** {@code @BackgroundTask}'s and {@code @SupervisedGroup}'s defaults: 10 restarts within 1 min. */
    public static final RestartIntensity DEFAULT = new RestartIntensity(10, Duration.ofMinutes(1));
}
