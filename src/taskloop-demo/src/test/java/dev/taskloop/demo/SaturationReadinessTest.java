package dev.taskloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.taskloop.Polling;
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
import java.util.concurrent.atomic.AtomicReference;
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
    /** How often readiness is polled over HTTP. */
    private static final Duration POLL = Duration.ofMillis(50);

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
        Polling.poll("readiness 200 before the load", Duration.ofSeconds(30), POLL)
                .until(() -> get("/actuator/health/readiness").statusCode() == 200);
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
        AtomicLong refusedAfter = new AtomicLong(-1);
        AtomicReference<String> saturatedHealth = new AtomicReference<>();
        try {
            Polling.poll("readiness 503 under load", Duration.ofSeconds(20), POLL).until(() -> {
                if (get("/actuator/health/readiness").statusCode() == 503) {
                    refusedAfter.set(System.nanoTime() - t0);
                    saturatedHealth.set(get("/actuator/health/taskloop").body());
                }
                return refusedAfter.get() >= 0;
            });
        } finally {
            load.shutdownNow();
            assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        long t1 = System.nanoTime();
        int backlog = loop.snapshot().readyDepth();
        assertThat(refusedAfter.get()).as("readiness 503 under load").isPositive();
        assertThat(JsonPath.<String>read(saturatedHealth.get(), "$.status")).isEqualTo("SATURATED");
        double p99 = JsonPath.<Number>read(saturatedHealth.get(), "$.details.loops.main.lagP99Ms").doubleValue();
        assertThat(p99).isGreaterThan(100);

        AtomicLong acceptingAfter = new AtomicLong(-1);
        try {
            Polling.poll("readiness 200 again after the load stopped", Duration.ofSeconds(30), POLL).until(() -> {
                if (get("/actuator/health/readiness").statusCode() == 200) {
                    acceptingAfter.set(System.nanoTime() - t1);
                }
                return acceptingAfter.get() >= 0;
            });
        } finally {
            System.out.printf("saturation: %d tasks of 20 ms offered every 10 ms; readiness 503 after %d ms (taskloop SATURATED,"
                    + " lag p99 %.1f ms); load stopped with %d queued; readiness 200 again %d ms later%n", spawned.get(),
                    refusedAfter.get() / 1_000_000, p99, backlog, acceptingAfter.get() / 1_000_000);
        }
        assertThat(acceptingAfter.get()).as("readiness 200 again after the load stopped").isPositive();
        assertThat(JsonPath.<String>read(get("/actuator/health/taskloop").body(), "$.status")).isEqualTo("UP");
    }
}
