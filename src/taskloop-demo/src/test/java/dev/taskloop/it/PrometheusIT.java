package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.jayway.jsonpath.JsonPath;
import dev.taskloop.Polling;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian package {@code prometheus}, which {@code .ci/run} installs)
 * scrapes the packaged demo's {@code /actuator/prometheus} and answers a query for the queue-depth
 * series; {@code promtool check metrics} passes on the {@code taskloop_*} metric families. Skipped,
 * saying so, where the binaries are absent. Prometheus listens on loopback only, with its own
 * configuration and storage in a temporary directory.
 */
class PrometheusIT {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void aRealPrometheusScrapesTheDemoAndFindsTheQueueDepthSeriesAndPromtoolAcceptsTheMetrics() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL),
                "skipped: the Debian package 'prometheus' is not installed (no /usr/bin/prometheus or /usr/bin/promtool);"
                        + " apt-get install prometheus (.ci/run does)");
        try (DemoProcess demo = DemoProcess.start("--taskloop.shutdown.timeout=2s")) {
            demo.awaitReady(Duration.ofSeconds(60));

            // promtool on what the demo exposes: the taskloop_* families must pass its lint.
            HttpResponse<String> scrape = demo.get("/actuator/prometheus");
            assertThat(scrape.statusCode()).isEqualTo(200);
            String taskloop = taskloopFamilies(scrape.body());
            assertThat(taskloop).contains("# TYPE taskloop_loop_queue_depth_tasks gauge", "# TYPE taskloop_loop_lag_seconds histogram",
                    "# TYPE taskloop_task_awake_seconds_total counter");
            Result lint = run(taskloop, PROMTOOL.toString(), "check", "metrics");
            Result all = run(scrape.body(), PROMTOOL.toString(), "check", "metrics");
            System.out.println("promtool check metrics on the taskloop_* families: exit " + lint.exit + " " + lint.output.strip()
                    + "\npromtool check metrics on the whole scrape (Spring Boot's and Micrometer's own meters included): exit "
                    + all.exit + "\n" + all.output.strip());
            assertThat(lint.exit).as("promtool check metrics:\n%s\n%s", lint.output, taskloop).isZero();
            assertThat(all.output).as("no finding about a taskloop_ metric in the whole scrape").doesNotContain("taskloop_");

            // A real Prometheus server scraping the demo every second.
            int port = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: taskloop-demo
                        metrics_path: /actuator/prometheus
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(demo.port()));
            Path log = dir.resolve("prometheus.log");
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                String query = "taskloop_loop_queue_depth_tasks{job=\"taskloop-demo\"}";
                AtomicReference<List<Map<String, Object>>> answer = new AtomicReference<>(List.of());
                try {
                    Polling.poll("query " + query, Duration.ofSeconds(60), Duration.ofMillis(250)).until(() -> {
                        assertThat(prometheus.isAlive()).as("prometheus exited:\n%s", Files.readString(log)).isTrue();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                    + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                answer.set(JsonPath.read(r.body(), "$.data.result"));
                            }
                        } catch (IOException notYet) {
                            // not listening yet
                        }
                        return !answer.get().isEmpty();
                    });
                } catch (ConditionTimeoutException noSeries) {
                    throw new AssertionError("query " + query + "; prometheus log:\n" + Files.readString(log), noSeries);
                }
                List<Map<String, Object>> result = answer.get();
                assertThat(result).as("query %s; prometheus log:\n%s", query, Files.readString(log)).singleElement()
                        .satisfies(series -> {
                            assertThat((Map<String, Object>) series.get("metric")).containsEntry("__name__", "taskloop_loop_queue_depth_tasks")
                                    .containsEntry("loop", "main").containsEntry("job", "taskloop-demo")
                                    .containsEntry("instance", "127.0.0.1:" + demo.port());
                            assertThat((List<Object>) series.get("value")).hasSize(2);
                        });
                System.out.println("Prometheus answered " + query + ": " + result);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** The HELP, TYPE and sample lines of the {@code taskloop_*} metric families of a scrape. */
    private static String taskloopFamilies(String scrape) {
        return scrape.lines().filter(l -> l.startsWith("taskloop_") || l.startsWith("# HELP taskloop_") || l.startsWith("# TYPE taskloop_"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String stdin, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
