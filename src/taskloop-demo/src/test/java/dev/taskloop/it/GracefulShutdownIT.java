package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM against the real demo process: the orderly shutdown runs every cleanup, finishes inside
 * {@code taskloop.shutdown.timeout}, and the process exits with 0; a task that ignores
 * cancellation is named, and the process still exits once the timeout has passed.
 */
class GracefulShutdownIT {

    private static final Pattern SHUTDOWN = Pattern.compile("Taskloop shut down in (\\d+) ms");

    @Test
    void sigtermRunsEveryCleanupAndExitsWithZeroInsideTheShutdownTimeout() throws Exception {
        try (DemoProcess demo = DemoProcess.start("--taskloop.shutdown.timeout=5s")) {
            demo.awaitReady(Duration.ofSeconds(60));
            assertThat(demo.awaitLine("Started", Duration.ofSeconds(10))).isTrue();
            long t0 = System.nanoTime();
            demo.sigterm();
            int status = demo.awaitExit(Duration.ofSeconds(30));
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(status).as("exit status; log:\n%s", demo.log()).isZero();
            assertThat(demo.output()).anyMatch(l -> l.contains("task 'blocker' cleaned up"));
            assertThat(demo.output()).anyMatch(l -> l.contains("task 'producer' cleaned up"));
            assertThat(demo.output()).anyMatch(l -> l.contains("task 'consumers' cleaned up"));
            assertThat(demo.output()).anyMatch(l -> l.contains("every task ended"));
            assertThat(shutdownMillis(demo)).isLessThan(5_000);
            assertThat(elapsedMs).as("SIGTERM to exit").isLessThan(20_000);
        }
    }

    @Test
    void aTaskThatIgnoresCancellationIsNamedAndTheProcessStillExitsAfterTheTimeout() throws Exception {
        try (DemoProcess demo = DemoProcess.start("--taskloop.shutdown.timeout=2s", "--demo.stubborn.enabled=true")) {
            demo.awaitReady(Duration.ofSeconds(60));
            assertThat(demo.awaitLine("will ignore cancellation", Duration.ofSeconds(10))).isTrue();
            demo.sigterm();
            int status = demo.awaitExit(Duration.ofSeconds(30));

            assertThat(status).as("exit status; log:\n%s", demo.log()).isZero();
            assertThat(demo.output()).anyMatch(l -> l.contains("did not end within taskloop.shutdown.timeout (PT2S)")
                    && l.contains("'stubborn' on loop 'main'"));
            assertThat(demo.output()).anyMatch(l -> l.contains("task 'blocker' cleaned up"));
            assertThat(shutdownMillis(demo)).isBetween(2_000L, 10_000L);
        }
    }

    private static long shutdownMillis(DemoProcess demo) {
        for (String line : demo.output()) {
            Matcher m = SHUTDOWN.matcher(line);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no shutdown line in the log:\n" + demo.log());
    }
}
