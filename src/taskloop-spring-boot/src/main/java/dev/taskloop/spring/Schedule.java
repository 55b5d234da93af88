package dev.taskloop.spring;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a declared task runs: once per attempt (it loops by itself), or periodically. Each periodic
 * kind carries its own rule for when the next run starts ({@link Periodic#runs}); runs never overlap,
 * and a run that throws ends the attempt (the restart policy decides what comes next, and the next
 * attempt starts the schedule afresh).
 *
 * @since 0.1.0
 */
public sealed interface Schedule permits Schedule.Continuous, Schedule.Periodic {

    /** The method is called once per attempt and runs as long as it likes. */
    record Continuous() implements Schedule {
    }

    /** A schedule of runs: each call of the method is one run. */
    sealed interface Periodic extends Schedule permits FixedRate, FixedDelay, Cron {

        /**
         * The runs of one attempt, from now.
         *
         * @param loopTime the loop's time in nanoseconds ({@code EventLoop.time()}), for rates and delays
         * @param clock the wall clock, for cron expressions
         */
        Runs runs(LongSupplier loopTime, Clock clock);
    }

    /**
     * The starts of one attempt's runs. Not thread-safe: used by the attempt's own task, which asks
     * {@link #untilNext()} before each run, waits that long, says {@link #starting()} and runs.
     */
    interface Runs {

        /** How long to wait, from now, before the next run (the first included) starts; {@code null} if there is none. */
        @Nullable Duration untilNext();

        /** The run waited for starts now. */
        default void starting() {
        }
    }

    /**
     * Runs start {@code period} apart, aligned on the start of the first run (after
     * {@code initialDelay}); after a run that outlasted its slot, {@code overrun} says whether the
     * missed slots are skipped or run back to back.
     */
    record FixedRate(Duration period, Duration initialDelay, Overrun overrun) implements Periodic {

        @Override
        public Runs runs(LongSupplier loopTime, Clock clock) {
            long periodNanos = period.toNanos();
            return new Runs() {
                private boolean first = true;
                private boolean aligned;
                private long slot;

                @Override
                public Duration untilNext() {
                    if (first) {
                        first = false;
                        return initialDelay;
                    }
                    long next = slot + periodNanos;
                    long now = loopTime.getAsLong();
                    if (now > next && overrun == Overrun.SKIP) {
                        next += ((now - next + periodNanos - 1) / periodNanos) * periodNanos;
                    }
                    slot = next;
                    return Duration.ofNanos(Math.max(0, next - now));
                }

                @Override
                public void starting() {
                    if (!aligned) {
                        aligned = true;
                        slot = loopTime.getAsLong(); // the slots follow the first run's actual start
                    }
                }
            };
        }
    }

    /** The first run starts after {@code initialDelay}, each next one {@code delay} after the previous one ended. */
    record FixedDelay(Duration delay, Duration initialDelay) implements Periodic {

        @Override
        public Runs runs(LongSupplier loopTime, Clock clock) {
            return new Runs() {
                private boolean first = true;

                @Override
                public Duration untilNext() {
                    Duration d = first ? initialDelay : delay;
                    first = false;
                    return d;
                }
            };
        }
    }

    /**
     * Runs at the times of a cron expression ({@code source} as written), in {@code zone}. After a
     * run that outlasted the next time, {@code overrun} says whether the missed times are skipped or
     * run back to back. Ends when the expression has no further time.
     */
    record Cron(CronExpression expression, String source, ZoneId zone, Overrun overrun) implements Periodic {

        @Override
        public Runs runs(LongSupplier loopTime, Clock clock) {
            Clock zoned = clock.withZone(zone);
            return new Runs() {
                private ZonedDateTime last = ZonedDateTime.now(zoned);

                @Override
                public @Nullable Duration untilNext() {
                    ZonedDateTime now = ZonedDateTime.now(zoned);
                    ZonedDateTime next = expression.next(overrun == Overrun.SKIP || last.isAfter(now) ? now : last);
                    if (next == null) {
                        return null;
                    }
                    last = next;
                    Duration wait = Duration.between(now, next);
                    return wait.isNegative() ? Duration.ZERO : wait;
                }
            };
        }
    }
}
