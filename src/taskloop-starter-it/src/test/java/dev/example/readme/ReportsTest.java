package dev.example.readme;

// readme:snippet spring-virtual-time
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.test.AutoConfigureVirtualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(properties = "taskloop.virtual-time.start=2026-03-01T00:00:00Z")
@AutoConfigureVirtualTime
class ReportsTest {
    @Autowired TestLoop time;
    @Autowired Reports reports;   // @BackgroundTask(fixedRate = "1h") hourly(), @BackgroundTask(cron = "0 0 3 * * *", zone = "UTC") nightly()

    @Test
    void aDayRunsTheHourlyTask25TimesAndTheNightlyOnce() {
        time.advanceTimeBy(Duration.ofDays(1));
        assertThat(reports.hourlyRuns()).isEqualTo(25);   // 00:00 .. 24:00 on the hour
        assertThat(reports.nightlyRuns()).isEqualTo(1);   // 03:00
    }
}
// readme:end

// The application class the README's test is about (compiled only: not a component, so that no scan of the
// test classes, e.g. RootPackageApplicationTest's of package dev, picks it up).
class Reports {
    int hourlyRuns() {
        return 0;
    }

    int nightlyRuns() {
        return 0;
    }
}
