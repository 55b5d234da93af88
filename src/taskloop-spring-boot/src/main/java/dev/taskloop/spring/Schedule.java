package dev.taskloop.spring;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.scheduling.support.CronExpression;

/** When a declared task runs: once (it loops by itself), or periodically. */
public sealed interface Schedule {

    /** The method is called once per attempt and runs as long as it likes. */
    record Continuous() implements Schedule {
    }

    /** Runs start {@code period} apart, aligned on the first run. */
    record FixedRate(Duration period, Duration initialDelay, Overrun overrun) implements Schedule {
    }

    /** Each run starts {@code delay} after the previous one ended. */
    record FixedDelay(Duration delay, Duration initialDelay) implements Schedule {
    }

    /** Runs at the times of a cron expression, in {@code zone}. */
    record Cron(CronExpression expression, String source, ZoneId zone, Overrun overrun) implements Schedule {
    }
}
