package dev.taskloop.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.EventLoop;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.BackgroundTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The README's example of testing a periodic {@code @BackgroundTask} in virtual time: a whole day passes in
 * the test's own time, and the hourly and nightly tasks of a real Spring Boot application ran as often, and
 * when, their schedules say.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "taskloop.virtual-time.start=2026-03-01T00:00:00Z")
@AutoConfigureVirtualTime
class AutoConfigureVirtualTimeTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Reports.class)
    static class Application {
    }

    static class Reports {
        final AtomicInteger hourlyRuns = new AtomicInteger();
        final List<Duration> nightlyRunsAt = new CopyOnWriteArrayList<>();

        @BackgroundTask(name = "hourly", fixedRate = "1h")
        void hourly() {
            hourlyRuns.incrementAndGet();
        }

        @BackgroundTask(name = "nightly", cron = "0 0 3 * * *", zone = "UTC")
        void nightly() {
            nightlyRunsAt.add(Duration.ofNanos(EventLoop.current().time()));
        }
    }

    @Autowired
    TestLoop time;

    @Autowired
    Reports reports;

    @Autowired
    EventLoop loop;

    @Test
    void theApplicationsLoopIsTheTestLoop() {
        assertThat(loop).isSameAs(time.loop());
        assertThat(loop.name()).isEqualTo("main");
    }

    @Test
    void aDayOfVirtualTimeRunsTheHourlyTaskOnTheHourAndTheNightlyTaskOnceAtThree() {
        time.runCurrent();
        assertThat(reports.hourlyRuns).as("the first run is at once").hasValue(1);

        time.advanceTimeBy(Duration.ofHours(2).plusMinutes(59));
        assertThat(reports.hourlyRuns).hasValue(3);
        assertThat(reports.nightlyRunsAt).isEmpty();

        time.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(reports.nightlyRunsAt).containsExactly(Duration.ofHours(3));

        time.advanceTimeBy(Duration.ofHours(21));
        assertThat(reports.hourlyRuns).as("00:00 to 24:00, on the hour").hasValue(25);
        assertThat(reports.nightlyRunsAt).as("one night").containsExactly(Duration.ofHours(3));
        assertThat(time.ticker().clock(Instant.parse("2026-03-01T00:00:00Z")).instant()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
    }
}
