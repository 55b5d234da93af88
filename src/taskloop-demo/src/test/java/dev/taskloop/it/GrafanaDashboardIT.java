package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.helm.GrafanaDashboard;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every PromQL expression of the chart's Grafana dashboard (panel targets and query variables) names
 * only metrics the running demo really exports at {@code /actuator/prometheus}.
 */
class GrafanaDashboardIT {

    @Test
    void everyMetricTheDashboardQueriesIsExportedByTheRunningDemo() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.load(GrafanaDashboard.FILE);
        try (DemoProcess demo = DemoProcess.start("--taskloop.shutdown.timeout=1s")) {
            demo.awaitReady(Duration.ofSeconds(60));
            HttpResponse<String> scrape = demo.get("/actuator/prometheus");
            assertThat(scrape.statusCode()).isEqualTo(200);
            Set<String> exported = GrafanaDashboard.sampleNames(scrape.body());

            assertThat(dashboard.queries()).hasSizeGreaterThan(10);
            assertThat(dashboard.unknownMetrics(exported)).as("dashboard queries naming metrics absent from /actuator/prometheus").isEmpty();
            System.out.println("GrafanaDashboardIT: " + dashboard.queries().size() + " queries over " + dashboard.metricNames()
                    + ", all exported by the demo");
        }
    }
}
