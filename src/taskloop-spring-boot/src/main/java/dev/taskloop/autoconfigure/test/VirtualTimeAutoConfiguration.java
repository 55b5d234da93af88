package dev.taskloop.autoconfigure.test;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.autoconfigure.TaskloopProperties;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.testing.TestLoop;
import java.time.Clock;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The loop of {@code @AutoConfigureVirtualTime} tests: a {@link TestLoop} (a bean, for the test to drive),
 * its loop as the application's {@link EventLoop} (so the loops of {@code taskloop.loops} back off), and
 * the {@code taskloopClock} that cron schedules read, following the test loop's ticker from
 * {@code taskloop.virtual-time.start}. Imported only by that annotation, never by the application's
 * auto-configuration.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = TaskloopAutoConfiguration.class)
public final class VirtualTimeAutoConfiguration {

    @Bean(destroyMethod = "close")
    TestLoop taskloopTestLoop(TaskloopProperties properties) {
        if (properties.getLoops().size() != 1) {
            throw new InvalidConfigurationPropertyValueException("taskloop.loops", String.join(",", properties.getLoops()),
                    "@AutoConfigureVirtualTime runs one loop in virtual time; set taskloop.loops to one name in this test");
        }
        return TestLoop.create(EventLoop.builder().name(properties.getLoops().getFirst())
                .slowStepThreshold(properties.getSlowStepThreshold()).watchdog(properties.isWatchdog()).reportInterval(properties.getReportInterval()).measure(properties.isMeasure()));
    }

    @Bean
    @Primary
    EventLoop taskloopTestEventLoop(TestLoop taskloopTestLoop) {
        return taskloopTestLoop.loop();
    }

    @Bean(defaultCandidate = false)
    Clock taskloopClock(TestLoop taskloopTestLoop, @Value("${taskloop.virtual-time.start:1970-01-01T00:00:00Z}") Instant start) {
        return taskloopTestLoop.ticker().clock(start);
    }
}
