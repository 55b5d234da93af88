package dev.taskloop.actuate;

/**
 * How the endpoint and the health component show figures: durations as milliseconds with microsecond
 * precision, shares as fractions with four decimals.
 *
 * @since 0.1.0
 */
public final class Units {

    private Units() {
    }

    /** {@code nanos} in milliseconds, rounded to the microsecond: {@code 1_234_567} is {@code 1.235}. */
    public static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** A share in [0, 1], rounded to four decimals. */
    public static double ratio(double share) {
        return Math.round(share * 10_000) / 10_000.0;
    }
}
