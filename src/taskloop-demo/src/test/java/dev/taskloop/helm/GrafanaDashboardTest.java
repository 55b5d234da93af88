package dev.taskloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboard parses and shows what the issue asks for; its metric check fails on a metric
 * the application does not export. (That every name is exported is checked against the running demo
 * by {@code GrafanaDashboardIT}.)
 */
class GrafanaDashboardTest {

    private static GrafanaDashboard dashboard;

    @BeforeAll
    static void load() throws Exception {
        dashboard = GrafanaDashboard.load(GrafanaDashboard.FILE);
    }

    @Test
    void theDashboardIsJsonWithAUidATitleAndUniquePanelIds() {
        assertThat(dashboard.root().path("uid").asString()).isEqualTo("taskloop-overview");
        assertThat(dashboard.root().path("title").asString()).isEqualTo("Taskloop");
        List<Integer> ids = dashboard.panels().stream().map(p -> p.path("id").asInt()).toList();
        assertThat(ids).doesNotHaveDuplicates().doesNotContain(0);
    }

    @Test
    void theDashboardShowsUtilizationLagQueueDepthTheTopTasksByAwakeAsleepAndWaitingTimeAndRestarts() {
        assertThat(dashboard.metricNames()).contains("taskloop_loop_utilization_ratio", "taskloop_loop_lag_seconds_bucket",
                "taskloop_loop_queue_depth_tasks", "taskloop_task_awake_seconds_total", "taskloop_task_asleep_seconds_total",
                "taskloop_task_waiting_seconds_total", "taskloop_task_restarts_total");
        assertThat(dashboard.queries()).anySatisfy(q -> assertThat(q.expr()).startsWith("topk(10, ").contains("taskloop_task_awake_seconds_total"));
        assertThat(dashboard.queries()).anySatisfy(q -> assertThat(q.expr()).startsWith("topk(10, ").contains("taskloop_task_asleep_seconds_total"));
        assertThat(dashboard.queries()).anySatisfy(q -> assertThat(q.expr()).startsWith("topk(10, ").contains("taskloop_task_waiting_seconds_total"));
        assertThat(dashboard.queries()).anySatisfy(q -> assertThat(q.expr()).startsWith("histogram_quantile(0.99, "));
    }

    @Test
    void everyTargetQueriesThePrometheusDataSourceVariableAndFiltersByJob() {
        for (JsonNode panel : dashboard.panels()) {
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asString()).as("data source of %s", panel.path("title")).isEqualTo("${datasource}");
                assertThat(target.path("expr").asString()).as("expr of %s", panel.path("title")).contains("job=\"$job\"");
            }
        }
        assertThat(dashboard.root().path("templating").path("list")).anySatisfy(v -> {
            assertThat(v.path("name").asString()).isEqualTo("datasource");
            assertThat(v.path("query").asString()).isEqualTo("prometheus");
        });
    }

    @Test
    void everyMetricTheDashboardNamesIsATaskloopMeter() {
        assertThat(dashboard.metricNames()).isNotEmpty().allMatch(n -> n.startsWith("taskloop_"));
    }

    @Test
    void theMetricCheckNamesThePanelAndTheMetricThatIsNotExported() {
        Set<String> exported = new HashSet<>(dashboard.metricNames());
        assertThat(dashboard.unknownMetrics(exported)).isEmpty();

        exported.remove("taskloop_loop_queue_depth_tasks");
        assertThat(dashboard.unknownMetrics(exported)).singleElement().asString()
                .startsWith("panel 'Ready-queue depth' target A names [taskloop_loop_queue_depth_tasks] which the application does not export");

        GrafanaDashboard typo = GrafanaDashboard.parse("""
                {"panels": [{"id": 1, "title": "Lag", "targets": [{"refId": "A",
                  "expr": "histogram_quantile(0.99, sum by (le) (rate(taskloop_loop_lag_second_bucket[5m])))"}]}]}""");
        assertThat(typo.unknownMetrics(new HashSet<>(dashboard.metricNames()))).singleElement().asString()
                .contains("panel 'Lag' target A names [taskloop_loop_lag_second_bucket]");
    }

    @Test
    void sampleNamesAreReadFromAPrometheusExposition() {
        assertThat(GrafanaDashboard.sampleNames("""
                # HELP taskloop_loop_lag_seconds Ready-to-running delay
                # TYPE taskloop_loop_lag_seconds histogram
                taskloop_loop_lag_seconds_bucket{loop="main",le="0.001"} 3
                taskloop_loop_lag_seconds_count{loop="main"} 3
                process_uptime_seconds 12.5
                """)).containsExactly("process_uptime_seconds", "taskloop_loop_lag_seconds_bucket", "taskloop_loop_lag_seconds_count");
    }
}
