package dev.taskloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.taskloop.core.EventLoop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Offered load above one core saturates the demo's loop: readiness answers 503 over real HTTP while
 * it lasts and 200 again once the load has stopped and the lag window has passed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health", "management.endpoint.health.probes.enabled=true",
        "management.endpoint.health.show-details=always", "taskloop.health.lag-threshold=100ms",
        "taskloop.health.lag-window=2s", "taskloop.health.check-interval=100ms", "taskloop.shutdown.exit-zero-on-sigterm=false"})
class SaturationReadinessTest {

    /** Every 10 ms a task computing for 20 ms: twice what one loop (one core) can run. */
    private static final Duration PERIOD = Duration.ofMillis(10);
    private static final long WORK_NANOS = Duration.ofMillis(20).toNanos();

    @LocalServerPort
    int port;

    @Autowired
    EventLoop loop;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void offeredLoadAboveOneCoreTurnsReadinessTo503AndBackTo200OnceTheLoadStops() throws Exception {
        // Ready first: on a busy machine startup itself can leave the loop saturated for a lag window.
        long ready = System.nanoTime();
        while (get("/actuator/health/readiness").statusCode() != 200 && System.nanoTime() - ready < Duration.ofSeconds(30).toNanos()) {
            Thread.sleep(50); // polling the server over HTTP
        }
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        AtomicLong spawned = new AtomicLong();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        long t0 = System.nanoTime();
        load.scheduleAtFixedRate(() -> {
            spawned.incrementAndGet();
            loop.spawn("load", () -> {
                long end = System.nanoTime() + WORK_NANOS;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // computing on the loop: no await point
                }
            });
        }, 0, PERIOD.toNanos(), TimeUnit.NANOSECONDS);
        long refusedAfter = -1;
        String saturatedHealth = null;
        try {
            while (refusedAfter < 0 && System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos()) {
                if (get("/actuator/health/readiness").statusCode() == 503) {
                    refusedAfter = System.nanoTime() - t0;
                    saturatedHealth = get("/actuator/health/taskloop").body();
                }
                Thread.sleep(50); // polling the server over HTTP
            }
        } finally {
            load.shutdownNow();
            assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        long t1 = System.nanoTime();
        int backlog = loop.snapshot().readyDepth();
        assertThat(refusedAfter).as("readiness 503 under load").isPositive();
        assertThat(JsonPath.<String>read(saturatedHealth, "$.status")).isEqualTo("SATURATED");
        double p99 = JsonPath.<Number>read(saturatedHealth, "$.details.loops.main.lagP99Ms").doubleValue();
        assertThat(p99).isGreaterThan(100);

        long acceptingAfter = -1;
        while (acceptingAfter < 0 && System.nanoTime() - t1 < Duration.ofSeconds(30).toNanos()) {
            if (get("/actuator/health/readiness").statusCode() == 200) {
                acceptingAfter = System.nanoTime() - t1;
            }
            Thread.sleep(50); // polling the server over HTTP
        }
        System.out.printf("saturation: %d tasks of 20 ms offered every 10 ms; readiness 503 after %d ms (taskloop SATURATED, lag p99 %.1f ms);"
                + " load stopped with %d queued; readiness 200 again %d ms later%n", spawned.get(), refusedAfter / 1_000_000, p99, backlog,
                acceptingAfter / 1_000_000);
        assertThat(acceptingAfter).as("readiness 200 again after the load stopped").isPositive();
        assertThat(JsonPath.<String>read(get("/actuator/health/taskloop").body(), "$.status")).isEqualTo("UP");
    }
}
