package dev.taskloop.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A worker application on the starter alone (no web server, nothing of the demo), run as a process:
 * it keeps running while its declared task does, and on SIGTERM it stops in order and the JVM exits
 * with its own status, 143, unless the application asks for 0.
 */
class SigtermIT {

    @Test
    void aWorkerWithoutAWebServerKeepsRunningItsTaskAndExitsWith143OnSigtermAfterItsCleanup() throws Exception {
        try (AppProcess app = AppProcess.start()) {
            app.awaitLine("heartbeat 5 (attempt 1)", Duration.ofSeconds(60));
            assertThat(app.isAlive()).as("still running after main returned").isTrue();

            app.sigterm();
            int status = app.awaitExit(Duration.ofSeconds(30));

            assertThat(status).as("the JVM's own status for SIGTERM, as any Spring Boot application:%n%s", app.log()).isEqualTo(143);
            assertThat(app.output()).anyMatch(l -> l.contains("heartbeat cleaned up"));
            assertThat(app.output()).noneMatch(l -> l.contains("exiting with status 0"));
        }
    }

    @Test
    void withExitZeroOnSigtermTheSameShutdownExitsWith0() throws Exception {
        try (AppProcess app = AppProcess.start("--taskloop.shutdown.exit-zero-on-sigterm=true")) {
            app.awaitLine("heartbeat 2 (attempt 1)", Duration.ofSeconds(60));

            app.sigterm();
            int status = app.awaitExit(Duration.ofSeconds(30));

            assertThat(status).as("exit status:%n%s", app.log()).isZero();
            assertThat(app.output()).anyMatch(l -> l.contains("heartbeat cleaned up"));
            assertThat(app.output()).anyMatch(l -> l.contains("SIGTERM received: shutting down in order, then exiting with status 0"));
        }
    }

    @Test
    void withKeepAliveOffAWorkerWithoutAWebServerEndsWhenMainReturns() throws Exception {
        try (AppProcess app = AppProcess.start("--taskloop.keep-alive=false")) {
            int status = app.awaitExit(Duration.ofSeconds(60));

            assertThat(status).as("exit status:%n%s", app.log()).isZero();
            assertThat(app.output()).anyMatch(l -> l.contains("heartbeat cleaned up"));
        }
    }
}
