package dev.taskloop.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the dashboard check relies on, on the README's PromQL and harder cases. */
class PromQlTest {

    @Test
    void aHistogramQuantileOverARateNamesOnlyTheBucketSeries() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le, loop) (rate(taskloop_loop_lag_seconds_bucket{job=\"orders\"}[5m])))"))
                .containsExactly("taskloop_loop_lag_seconds_bucket");
    }

    @Test
    void groupingLabelsFunctionsKeywordsAndDurationsAreNotMetrics() {
        assertThat(PromQl.metricNames("sum by (instance, loop) (increase(taskloop_loop_slow_steps_total{blocked=\"true\"}[10m])) > 0"))
                .containsExactly("taskloop_loop_slow_steps_total");
        assertThat(PromQl.metricNames("topk(5, sum by (task) (rate(taskloop_task_awake_seconds_total[5m])))"))
                .containsExactly("taskloop_task_awake_seconds_total");
        assertThat(PromQl.metricNames("max_over_time(taskloop_loop_queue_depth_tasks[5m] offset 1h)"))
                .containsExactly("taskloop_loop_queue_depth_tasks");
        assertThat(PromQl.metricNames("sum without (instance) (a) / on (loop) group_left (task) b unless c == bool 1"))
                .containsExactly("a", "b", "c");
        assertThat(PromQl.metricNames("sum(x) by (loop)")).containsExactly("x");
    }

    @Test
    void grafanaVariablesAndStringsWithBracesAreSkipped() {
        assertThat(PromQl.metricNames("rate(taskloop_tasks_completed_tasks_total{job=\"$job\", loop=~\"a{1,2}|[b]\"}[$__rate_interval])"))
                .containsExactly("taskloop_tasks_completed_tasks_total");
        assertThat(PromQl.metricNames("increase(taskloop_task_restarts_total[$__range]) * ${factor}")).containsExactly("taskloop_task_restarts_total");
    }

    @Test
    void labelValuesNamesItsMetricAndNotItsLabel() {
        assertThat(PromQl.metricNames("label_values(taskloop_loop_utilization_ratio{job=\"$job\"}, instance)"))
                .containsExactly("taskloop_loop_utilization_ratio");
        assertThat(PromQl.metricNames("label_values(job)")).isEmpty();
    }

    @Test
    void anUnbalancedExpressionIsReportedNotGuessed() {
        assertThatThrownBy(() -> PromQl.metricNames("rate(x{job=\"a\"[5m])")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unbalanced '}'");
    }
}
