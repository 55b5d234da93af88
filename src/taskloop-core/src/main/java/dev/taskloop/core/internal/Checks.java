package dev.taskloop.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks whose messages name the argument, the bad value and what is allowed.
 *
 * @since 0.1.0
 */
public final class Checks {

    private Checks() {
    }

    /** {@code value}, if it is zero or positive. */
    public static Duration nonNegative(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, but was " + value
                    + " (use Duration.ZERO for 'now')");
        }
        return value;
    }

    /** {@code value}, if it is strictly positive. */
    public static Duration positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, but was " + value);
        }
        return value;
    }

    /** {@code value} in nanoseconds, saturated at {@link Long#MAX_VALUE} so "forever" stays forever. */
    public static long saturatedNanos(Duration value) {
        try {
            return value.toNanos();
        } catch (ArithmeticException overflow) {
            return value.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** {@code now + delay} without overflow: a deadline past the end of time is "never". */
    public static long deadline(long now, long delayNanos) {
        long d = now + delayNanos;
        return ((now ^ d) & (delayNanos ^ d)) < 0 ? Long.MAX_VALUE : d;
    }

    /** Rethrows {@code t} as it is, whatever its type: for bodies whose checked exception type is generic. */
    @SuppressWarnings("unchecked")
    static <E extends Exception> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
