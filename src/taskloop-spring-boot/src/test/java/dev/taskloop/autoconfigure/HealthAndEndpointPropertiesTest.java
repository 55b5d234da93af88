package dev.taskloop.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.spring.support.LoopAssessment;
import dev.taskloop.spring.support.LoopMonitor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code taskloop.health.*} and {@code taskloop.endpoint.*}: defaults, binding, and every invalid value. */
class HealthAndEndpointPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class))
            .withPropertyValues("taskloop.shutdown.exit-zero-on-sigterm=false");

    @Test
    void theLoopMonitorHasTheDefaultThresholds() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(LoopMonitor.class);
            assertThat(context.getBean(LoopMonitor.class).settings()).isEqualTo(LoopAssessment.Settings.defaults());
            TaskloopProperties p = context.getBean(TaskloopProperties.class);
            assertThat(p.getHealth().getStuckThreshold()).isEqualTo(Duration.ofSeconds(5));
            assertThat(p.getHealth().getLagThreshold()).isEqualTo(Duration.ofMillis(250));
            assertThat(p.getHealth().getLagWindow()).isEqualTo(Duration.ofSeconds(10));
            assertThat(p.getHealth().getCheckInterval()).isEqualTo(Duration.ofMillis(250));
            assertThat(p.getHealth().isAvailability()).isTrue();
            assertThat(p.getEndpoint().getHistorySize()).isEqualTo(100);
            assertThat(p.getEndpoint().getMaxTasks()).isEqualTo(1000);
        });
    }

    @Test
    void bindsEveryHealthAndEndpointProperty() {
        runner.withPropertyValues("taskloop.health.stuck-threshold=2s", "taskloop.health.lag-threshold=80ms",
                "taskloop.health.lag-window=30s", "taskloop.health.check-interval=1s", "taskloop.health.availability=false",
                "taskloop.endpoint.history-size=0", "taskloop.endpoint.max-tasks=20").run(context -> {
                    assertThat(context.getBean(LoopMonitor.class).settings()).isEqualTo(new LoopAssessment.Settings(Duration.ofSeconds(2),
                            Duration.ofMillis(80), Duration.ofSeconds(30), Duration.ofSeconds(1), false));
                    TaskloopProperties p = context.getBean(TaskloopProperties.class);
                    assertThat(p.getEndpoint().getHistorySize()).isZero();
                    assertThat(p.getEndpoint().getMaxTasks()).isEqualTo(20);
                });
    }

    @Test
    void rejectsANonPositiveStuckThreshold() {
        assertInvalid("taskloop.health.stuck-threshold=0s", "health.stuckThreshold", "PT0S", "must be a positive duration, e.g. 5s");
    }

    @Test
    void rejectsANonPositiveLagThreshold() {
        assertInvalid("taskloop.health.lag-threshold=-5ms", "health.lagThreshold", "PT-0.005S", "must be a positive duration, e.g. 250ms");
    }

    @Test
    void rejectsANonPositiveLagWindow() {
        assertInvalid("taskloop.health.lag-window=0ms", "health.lagWindow", "PT0S", "must be a positive duration, e.g. 10s");
    }

    @Test
    void rejectsANonPositiveCheckInterval() {
        assertInvalid("taskloop.health.check-interval=0ms", "health.checkInterval", "PT0S", "must be a positive duration, e.g. 250ms");
    }

    @Test
    void rejectsACheckIntervalLongerThanTheStuckThreshold() {
        assertInvalid(List.of("taskloop.health.check-interval=2s", "taskloop.health.stuck-threshold=1s", "taskloop.health.lag-window=1m"),
                "health.checkInterval", "PT2S",
                "must not be longer than taskloop.health.stuck-threshold (PT1S): a stuck loop would be noticed late; shorten it, e.g. 250ms");
    }

    @Test
    void rejectsALagWindowShorterThanFourCheckIntervals() {
        assertInvalid("taskloop.health.lag-window=900ms", "health.lagWindow", "PT0.9S",
                "must be at least 4 times taskloop.health.check-interval (PT0.25S) so that the window holds several samples;"
                        + " lengthen it, e.g. 10s");
    }

    @Test
    void rejectsANegativeHistorySize() {
        assertInvalid("taskloop.endpoint.history-size=-1", "endpoint.historySize", "-1", "must be zero (no history) or more, e.g. 100");
    }

    @Test
    void rejectsAMaxTasksBelowOne() {
        assertInvalid("taskloop.endpoint.max-tasks=0", "endpoint.maxTasks", "0", "must be at least 1, e.g. 1000");
    }

    private void assertInvalid(String property, String field, String value, String reason) {
        assertInvalid(List.of(property), field, value, reason);
    }

    /** The failure names the property (as the bound field), the rejected value and what is allowed. */
    private void assertInvalid(List<String> properties, String field, String value, String reason) {
        runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOfSatisfying(BindValidationException.class, e -> {
                List<String> messages = e.getValidationErrors().getAllErrors().stream().map(err -> err.getDefaultMessage()).toList();
                assertThat(messages).containsExactly(reason);
            });
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("on field '" + field + "': rejected value [" + value + "]");
        });
    }
}
