package dev.taskloop.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The log's rate limit, on explicit times: first in full, then one summary per interval, a quiet interval ends the burst. */
class RepeatedReportsTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private final RepeatedReports reports = new RepeatedReports("loop 'main': slow steps", "report(s)",
            "logged once per interval; each with its stack in the taskloop endpoint", Duration.ofSeconds(60));

    @Test
    void theFirstReportIsLoggedInFullTheNextOnesAreCountedIntoOneSummaryPerInterval() {
        assertThat(reports.offer(0, "a")).isEqualTo(new RepeatedReports.Decision(true, null));
        assertThat(reports.offer(10 * S, "b").full()).isFalse();
        assertThat(reports.offer(20 * S, "c")).isEqualTo(new RepeatedReports.Decision(false, null));
        assertThat(reports.due(59 * S)).as("not before the interval has passed").isNull();

        String summary = reports.due(60 * S);
        assertThat(summary).isEqualTo("loop 'main': slow steps: 2 more report(s) in the last 60 s"
                + " (logged once per interval; each with its stack in the taskloop endpoint), latest: c");
        assertThat(reports.due(61 * S)).as("a summary is given once").isNull();

        RepeatedReports.Decision d = reports.offer(70 * S, "d");
        assertThat(d.full()).as("still the same burst: a report came within the interval").isFalse();
        assertThat(reports.offer(125 * S, "e")).as("its interval passed at the report: the summary comes with it")
                .isEqualTo(new RepeatedReports.Decision(false,
                        "loop 'main': slow steps: 2 more report(s) in the last 65 s (logged once per interval; each with its stack in the taskloop endpoint), latest: e"));
    }

    @Test
    void aQuietIntervalEndsTheBurstSoTheNextReportHasItsStackAgainAfterTheLeftOverSummary() {
        reports.offer(0, "a");
        reports.offer(1 * S, "b");
        RepeatedReports.Decision d = reports.offer(100 * S, "c");
        assertThat(d.full()).isTrue();
        assertThat(d.summary()).startsWith("loop 'main': slow steps: 1 more report(s) in the last 100 s").endsWith("latest: b");
        assertThat(reports.offer(101 * S, "d").full()).isFalse();
    }

    @Test
    void aZeroIntervalLogsEveryReportInFull() {
        RepeatedReports off = new RepeatedReports("x", "report(s)", "", Duration.ZERO);
        assertThat(off.offer(0, "a").full()).isTrue();
        assertThat(off.offer(1, "b").full()).isTrue();
        assertThat(off.due(100 * S)).isNull();
    }
}
