package dev.taskloop.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.spring.BackgroundTask;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code GET /actuator/taskloop} over real HTTP against a running servlet application with 100,000
 * live tasks: it lists at most {@code taskloop.endpoint.max-tasks} of them (declared ones first)
 * and its cost follows what it returns, not what is alive. Prints the latency (sequential, and 50
 * concurrent clients) and the body size, the README's figures; asserts the body's bound only
 * (speed is for benchmarks). Tagged {@code stress}: {@code ./mvnw -B -pl src/taskloop-spring-boot -am test-compile
 * surefire:test@default-test -Dtaskloop.excludedGroups= -Dtest=EndpointListUnderManyTasksTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (the default execution only: {@code -Dtest} would also pick it in the security execution, whose actuator wants a login).
 */
@Tag("stress")
class EndpointListUnderManyTasksTest {

    private static final int LIVE = 100_000;
    private static final int CLIENTS = 50;
    private static final int REQUESTS_PER_CLIENT = 20;
    private static final int SEQUENTIAL = 100;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
        @Bean
        Tasks tasks() {
            return new Tasks();
        }
    }

    static class Tasks {
        @BackgroundTask(name = "sleeper")
        void sleeper() {
            Async.sleep(Duration.ofDays(1));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/taskloop"))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double percentile(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    @Test
    void theListOf100000LiveTasksCostsWhatItReturns() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(Application.class).web(WebApplicationType.SERVLET)
                .properties("server.port=0", "server.address=127.0.0.1", "management.endpoints.web.exposure.include=health,taskloop",
                        "taskloop.shutdown.exit-zero-on-sigterm=false", "spring.main.banner-mode=off",
                        "taskloop.admission.max-tasks=200000", "taskloop.endpoint.max-tasks=1000", "taskloop.shutdown.timeout=10s")
                .run()) {
            int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
            EventLoop loop = app.getBean(EventLoop.class);
            for (int i = 0; i < LIVE; i++) {
                loop.spawn("idle-" + i, () -> Async.sleep(Duration.ofDays(1)));
            }
            loop.spawn(() -> { }).join(); // every idle task has taken its first step and sleeps
            assertThat(loop.snapshot().liveTasks()).isGreaterThanOrEqualTo(LIVE);

            for (int i = 0; i < 10; i++) {
                get(port); // warm up
            }
            List<Long> sequential = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < SEQUENTIAL; i++) {
                long t0 = System.nanoTime();
                last = get(port);
                sequential.add(System.nanoTime() - t0);
                assertThat(last.statusCode()).isEqualTo(200);
            }
            int bytes = last.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            List<Object> tasks = JsonPath.read(last.body(), "$.tasks");
            int omitted = JsonPath.read(last.body(), "$.tasksOmitted");
            String firstListed = JsonPath.read(last.body(), "$.tasks[0].name");
            assertThat(tasks).hasSize(1000);
            assertThat(firstListed).as("declared tasks first").isEqualTo("sleeper");
            assertThat(omitted).isGreaterThanOrEqualTo(LIVE + 1 - 1000);
            assertThat(bytes).as("body bounded by max-tasks, not by the live tasks").isLessThan(1_000 * 1_024);

            List<Long> concurrent = Collections.synchronizedList(new ArrayList<>());
            List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
            long w0 = System.nanoTime();
            try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
                List<Future<?>> fs = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    fs.add(clients.submit(() -> {
                        for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                            long t0 = System.nanoTime();
                            HttpResponse<String> resp = get(port);
                            concurrent.add(System.nanoTime() - t0);
                            statuses.add(resp.statusCode());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            }
            double wallS = (System.nanoTime() - w0) / 1e9;
            assertThat(statuses).hasSize(CLIENTS * REQUESTS_PER_CLIENT).containsOnly(200);
            System.out.printf("endpoint list: %d live tasks, %d listed, %d omitted, body %d bytes; sequential p50 %.1f ms, p99 %.1f ms;"
                            + " %d concurrent clients x %d: p50 %.1f ms, p99 %.1f ms, %d of %d answered 200 in %.1f s%n",
                    loop.snapshot().liveTasks(), tasks.size(), omitted, bytes, percentile(sequential, 0.5), percentile(sequential, 0.99),
                    CLIENTS, REQUESTS_PER_CLIENT, percentile(concurrent, 0.5), percentile(concurrent, 0.99),
                    statuses.stream().filter(s -> s == 200).count(), statuses.size(), wallS);
            for (Task<?> t : loop.tasks()) {
                t.cancel("test over");
            }
        }
    }
}
