package dev.taskloop.spring.support;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off between restarts: the n-th restart (n ≥ 1) waits
 * {@code min(max, initial × multiplier^(n-1))}, then spread uniformly by ± {@code jitter}.
 *
 * @param initial delay before the first restart (≥ 0)
 * @param max longest delay (≥ initial)
 * @param multiplier growth factor (≥ 1)
 * @param jitter spread as a fraction in [0, 1]
 * @since 0.1.0
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    /** {@code @BackgroundTask}'s defaults: 1 s, at most 1 min, doubling, ± 10 %. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 2.0, 0.1);

    /** Delay before the {@code n}-th restart. */
    public Duration delay(int n, RandomGenerator random) {
        double base = initial.toNanos() * Math.pow(multiplier, Math.max(0, n - 1));
        double capped = Math.min(base, max.toNanos());
        double spread = jitter == 0 ? 0 : jitter * (2 * random.nextDouble() - 1);
        return Duration.ofNanos(Math.round(Math.max(0, capped * (1 + spread))));
    }
}
