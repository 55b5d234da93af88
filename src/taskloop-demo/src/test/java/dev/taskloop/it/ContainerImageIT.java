package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.Polling;
import dev.taskloop.helm.HelmChart;
import dev.taskloop.helm.Rendered;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's steps on the built jar, without Docker: {@link DockerfileReplay} follows the
 * Dockerfile (layered extraction with {@code java -Djarmode=tools}, the layers copied into /app, the
 * AOT-cache training run) with the local JDK 25; then the image's ENTRYPOINT starts the application
 * the way the Helm chart runs it: the chart's application.yaml as additional config location, the
 * chart's JDK_JAVA_OPTIONS, plus {@code -XX:AOTMode=on} so that the JVM refuses to start unless it
 * can use the AOT cache. It must answer its readiness probe on the management port, keep Actuator off
 * the application port, refuse the taskloop endpoint's write side, have loaded the application's
 * classes from the cache, and exit 0 on SIGTERM.
 */
class ContainerImageIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void theDockerfilesExtractedApplicationStartsWithItsAotCacheAndTheChartsConfigurationAndAnswersReadiness() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        DockerfileReplay.Result image = new DockerfileReplay(Path.of("."), javaHome, Files.createDirectories(dir.resolve("image")),
                Duration.ofMinutes(3)).replay(Path.of("Dockerfile"));

        assertThat(image.ran()).as("java steps of the Dockerfile").hasSize(2)
                .anySatisfy(c -> assertThat(c).startsWith("java -Djarmode=tools -jar app.jar extract --layers"))
                .anySatisfy(c -> assertThat(c).contains("-XX:AOTCacheOutput=app.aot"));
        assertThat(image.skipped()).allMatch(c -> c.startsWith("groupadd ") || c.startsWith("useradd "));
        assertThat(image.user()).isEqualTo("10001:10001");
        assertThat(image.exposed()).containsExactly("8080", "8081");
        assertThat(image.workdir().resolve("app.aot")).isRegularFile();
        assertThat(Files.size(image.workdir().resolve("app.aot"))).isGreaterThan(10_000_000L);
        assertThat(image.workdir().resolve("lib")).isDirectory();
        assertThat(image.entrypoint()).containsExactly("java", "-XX:AOTCache=app.aot", "-jar", "app.jar");

        // -XX:AOTMode=on really refuses a cache the JVM cannot use (here: made for another class path).
        Process mismatch = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-XX:AOTCache=app.aot", "-XX:AOTMode=on", "-version")
                .directory(image.workdir().toFile()).redirectErrorStream(true).start();
        String mismatchOutput = new String(mismatch.getInputStream().readAllBytes());
        assertThat(mismatch.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mismatch.exitValue()).as(mismatchOutput).isNotZero();
        assertThat(mismatchOutput).contains("Unable to use AOT cache");

        // The pod: the chart's configuration and JVM options, on free ports.
        Rendered chart = HelmChart.render();
        Path config = Files.writeString(dir.resolve("application.yaml"), chart.applicationYamlText());
        int httpPort = freePort();
        int managementPort = freePort();
        Path classLog = dir.resolve("class-load.log");
        List<String> command = new ArrayList<>(image.entrypoint());
        command.set(0, javaHome.resolve("bin/java").toString());
        command.addAll(List.of("--server.port=" + httpPort, "--management.server.port=" + managementPort));
        ProcessBuilder pb = new ProcessBuilder(command).directory(image.workdir().toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("app.log").toFile());
        pb.environment().putAll(image.env());
        pb.environment().put("SPRING_CONFIG_ADDITIONAL_LOCATION", "file:" + config.toAbsolutePath());
        pb.environment().put("JDK_JAVA_OPTIONS", chart.env("JDK_JAVA_OPTIONS").replace("-Djava.io.tmpdir=/tmp", "-Djava.io.tmpdir=" + dir)
                + " -XX:AOTMode=on -Xlog:class+load=info:file=" + classLog);
        Process app = pb.start();
        try {
            long t0 = System.nanoTime();
            awaitReady(app, managementPort, Duration.ofSeconds(60));
            System.out.printf("ContainerImageIT: ready after %d ms with the AOT cache%n", (System.nanoTime() - t0) / 1_000_000);

            assertThat(get(managementPort, "/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(get(httpPort, "/actuator/health").statusCode()).as("Actuator on the application port").isEqualTo(404);
            assertThat(send("DELETE", managementPort, "/actuator/taskloop/ticker").statusCode()).as("the taskloop endpoint's write side")
                    .isEqualTo(405);
            assertThat(get(managementPort, "/actuator/taskloop").statusCode()).isEqualTo(200);

            List<String> loaded = Files.readAllLines(classLog);
            assertThat(loaded).as("the demo's classes come from the AOT cache")
                    .anyMatch(l -> l.contains(" dev.taskloop.demo.DemoApplication source: shared objects file"))
                    .anyMatch(l -> l.contains(" dev.taskloop.core.EventLoop source: shared objects file"));
            long fromCache = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
            System.out.printf("ContainerImageIT: %d of %d classes loaded from the AOT cache%n", fromCache, loaded.size());
            assertThat(fromCache).isGreaterThan(loaded.size() / 2);

            app.toHandle().destroy(); // SIGTERM, as the kubelet sends after the preStop sleep
            assertThat(app.waitFor(40, TimeUnit.SECONDS)).as("exited within the chart's shutdown budget").isTrue();
            assertThat(app.exitValue()).as("exit status; log:\n%s", log()).isZero();
        } finally {
            app.destroyForcibly();
        }
        assertThat(log()).doesNotContain("Unable to use AOT cache").contains("Taskloop shut down in");
    }

    private void awaitReady(Process app, int port, Duration timeout) throws IOException {
        try {
            Polling.poll("the application ready", timeout, Duration.ofMillis(100)).until(() -> {
                if (!app.isAlive()) {
                    throw new AssertionError("the application exited with " + app.exitValue() + " before it was ready:\n" + log());
                }
                try {
                    return get(port, "/actuator/health/readiness").statusCode() == 200;
                } catch (IOException notYet) {
                    return false; // not listening yet (an IOException reading the log above still fails)
                }
            });
        } catch (ConditionTimeoutException notReady) {
            throw new AssertionError("not ready within " + timeout + ":\n" + log(), notReady);
        }
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("app.log"));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return send("GET", port, path);
    }

    private HttpResponse<String> send(String method, int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
