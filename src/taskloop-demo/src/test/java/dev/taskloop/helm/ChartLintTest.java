package dev.taskloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict} on the chart: warnings fail it, so it must find nothing but information. */
class ChartLintTest {

    @Test
    void helmLintStrictReportsNoWarningAndNoError() {
        LintResult result = new Helm(HelmChart.DIRECTORY).lint().strict().call();

        assertThat(result.getMessages()).as("helm lint --strict messages").noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
        assertThat(result.isFailed()).as("helm lint --strict failed: %s", result.getMessages()).isFalse();
    }
}
