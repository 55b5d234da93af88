package dev.taskloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad values stop {@code helm template} (and so {@code helm install}) with a message that names the
 * value and says what to do: values.schema.json for typos, types and formats, the templates for
 * combinations that cannot work.
 */
class ChartRefusesBadValuesTest {

    @Test
    void aTypoedKeyIsRefusedByTheSchema() {
        assertThat(HelmChart.renderError(Map.of("shutdown.taskloopTimout", "5s")))
                .contains("values don't meet the specifications of the schema")
                .contains("at '/shutdown': additional properties 'taskloopTimout' not allowed");
        assertThat(HelmChart.renderError(Map.of("replicas", 3))).contains("additional properties 'replicas' not allowed");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedByTheSchema() {
        assertThat(HelmChart.renderError(Map.of("replicaCount", "two"))).contains("at '/replicaCount': got string, want integer");
        assertThat(HelmChart.renderError(Map.of("shutdown.phaseTimeout", 30))).contains("at '/shutdown/phaseTimeout': got number, want string");
    }

    @Test
    void aDurationSpringWouldReadDifferentlyOrTheChartCannotAddUpIsRefused() {
        assertThat(HelmChart.renderError(Map.of("shutdown.taskloopTimeout", "20 seconds")))
                .contains("at '/shutdown/taskloopTimeout'").contains("does not match pattern");
        assertThat(HelmChart.renderError(Map.of("shutdown.phaseTimeout", "PT30S"))).contains("at '/shutdown/phaseTimeout'");
    }

    @Test
    void anUnknownEnumValueIsRefused() {
        assertThat(HelmChart.renderError(Map.of("actuator.taskloopAccess", "read-write"))).contains("at '/actuator/taskloopAccess'")
                .contains("'none', 'read-only', 'unrestricted'");
    }

    @Test
    void aGracePeriodShorterThanTheShutdownNeedsIsRefusedWithTheArithmetic() {
        assertThat(HelmChart.renderError(Map.of("shutdown.terminationGracePeriodSeconds", 30)))
                .contains("shutdown.terminationGracePeriodSeconds (30) is too short: the pod needs at least 75 s"
                        + " = preStopSleepSeconds 10 + drainTimeout 10s (the tasks' drain) + phaseTimeout 30s (the web server's drain)"
                        + " + taskloopTimeout 20s (the loops' cleanup) + marginSeconds 5");
        assertThat(HelmChart.renderError(Map.of("shutdown.terminationGracePeriodSeconds", 74))).contains("(74) is too short");
        assertThat(HelmChart.renderError(Map.of("shutdown.drainTimeout", "30s")))
                .contains("shutdown.drainTimeout (30s) must be shorter than shutdown.phaseTimeout (30s)");
    }

    @Test
    void aTaskloopTimeoutNotShorterThanThePhaseTimeoutIsRefusedAsTheApplicationWould() {
        assertThat(HelmChart.renderError(Map.of("shutdown.taskloopTimeout", "30s")))
                .contains("shutdown.taskloopTimeout (30s) must be shorter than shutdown.phaseTimeout (30s)");
        assertThat(HelmChart.renderError(Map.of("shutdown.taskloopTimeout", "1m", "shutdown.phaseTimeout", "45000ms")))
                .contains("shutdown.taskloopTimeout (1m) must be shorter than shutdown.phaseTimeout (45000ms)");
    }

    @Test
    void configurationTheChartSetsItselfIsRefusedInConfigPointingToTheValue() {
        assertThat(HelmChart.renderError(Map.of("config.taskloop.shutdown.timeout", "5s")))
                .contains("config.taskloop.shutdown.timeout: the chart sets taskloop.shutdown.timeout itself; use the value shutdown.taskloopTimeout instead");
        assertThat(HelmChart.renderError(Map.of("config.management.server.port", 9000)))
                .contains("use the value ports.management instead");
        // Spring's relaxed binding reads these the same, so they are refused the same.
        assertThat(HelmChart.renderError(Map.of("config.spring.lifecycle.timeoutPerShutdownPhase", "1m")))
                .contains("the chart sets spring.lifecycle.timeout-per-shutdown-phase itself");
        assertThat(HelmChart.renderError(Map.of("config.management.endpoint.taskloop.access", "unrestricted")))
                .contains("use the value actuator.taskloopAccess instead");
    }

    @Test
    void unrestrictedTaskloopAccessIsRefusedWhenAServiceReachesTheManagementPort() {
        assertThat(HelmChart.renderError(Map.of("actuator.taskloopAccess", "unrestricted", "metrics.serviceMonitor.enabled", true)))
                .contains("would make DELETE /actuator/taskloop/{task} (cancel a task) reachable through the Service orders-taskloop-metrics");
    }

    @Test
    void theManagementPortCannotBeTheHttpPort() {
        assertThat(HelmChart.renderError(Map.of("ports.management", 8080)))
                .contains("ports.http and ports.management are both 8080");
    }

    @Test
    void inconsistentDisruptionBudgetsAndAutoscalersAreRefused() {
        assertThat(HelmChart.renderError(Map.of("podDisruptionBudget.minAvailable", 1))).contains("set maxUnavailable or minAvailable, not both");
        assertThat(HelmChart.renderError(Map.of("autoscaling.enabled", true, "autoscaling.minReplicas", 5, "autoscaling.maxReplicas", 3)))
                .contains("autoscaling.minReplicas (5) is above autoscaling.maxReplicas (3)");
        assertThat(HelmChart.renderError(Map.of("metrics.serviceMonitor.enabled", true, "metrics.serviceMonitor.scrapeTimeout", "1m")))
                .contains("metrics.serviceMonitor.scrapeTimeout (1m) is longer than its interval (30s)");
    }
}
