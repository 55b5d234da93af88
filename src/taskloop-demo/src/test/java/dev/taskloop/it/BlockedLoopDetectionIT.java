package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.taskloop.Polling;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The demo's {@code blocker} task blocks the loop with {@code Thread.sleep}: within 2 s of switching
 * it on, the endpoint names it as the baton holder with a stack at the blocking call, the
 * {@code taskloop} health component is DOWN with the figures, and liveness answers 503; switched
 * off, all of it returns to UP. Against the packaged demo, over real HTTP.
 */
class BlockedLoopDetectionIT {

    @Test
    void aBlockedLoopIsNamedDownAndNotLiveWithinTwoSecondsAndRecoversWhenTheBlockingStops() throws Exception {
        try (DemoProcess demo = DemoProcess.start("--taskloop.shutdown.timeout=3s")) {
            demo.awaitReady(Duration.ofSeconds(60));
            assertThat(demo.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(status(demo.get("/actuator/health/taskloop"))).isEqualTo("UP");

            long t0 = System.nanoTime();
            assertThat(demo.post("/demo/blocker?enabled=true").statusCode()).isEqualTo(200);
            // When each of the three was first seen, recorded inside the condition; each is judged on its own below.
            AtomicLong holderSeen = new AtomicLong(-1);
            AtomicLong downSeen = new AtomicLong(-1);
            AtomicLong livenessSeen = new AtomicLong(-1);
            AtomicReference<String> holderBody = new AtomicReference<>();
            AtomicReference<String> downBody = new AtomicReference<>();
            try {
                Polling.poll("the blocker named as baton holder, taskloop DOWN and liveness 503", Duration.ofSeconds(10), Duration.ofMillis(50))
                        .until(() -> {
                            if (holderSeen.get() < 0) {
                                String body = demo.get("/actuator/taskloop").body();
                                if (holdsTheBatonInThreadSleep(body)) {
                                    holderSeen.set(System.nanoTime() - t0);
                                    holderBody.set(body);
                                }
                            }
                            if (downSeen.get() < 0) {
                                HttpResponse<String> health = demo.get("/actuator/health");
                                if ("DOWN".equals(JsonPath.read(health.body(), "$.components.taskloop.status"))) {
                                    downSeen.set(System.nanoTime() - t0);
                                    downBody.set(health.body());
                                    assertThat(health.statusCode()).isEqualTo(503);
                                }
                            }
                            if (livenessSeen.get() < 0 && demo.get("/actuator/health/liveness").statusCode() == 503) {
                                livenessSeen.set(System.nanoTime() - t0);
                            }
                            return holderSeen.get() >= 0 && downSeen.get() >= 0 && livenessSeen.get() >= 0;
                        });
            } finally {
                System.out.printf("blocker switched on: baton holder named after %d ms, taskloop DOWN after %d ms, liveness 503 after %d ms%n",
                        holderSeen.get() / 1_000_000, downSeen.get() / 1_000_000, livenessSeen.get() / 1_000_000);
            }
            long twoSeconds = Duration.ofSeconds(2).toNanos();
            assertThat(holderSeen.get()).as("endpoint names the blocker as baton holder").isBetween(0L, twoSeconds);
            assertThat(downSeen.get()).as("taskloop health DOWN").isBetween(0L, twoSeconds);
            assertThat(livenessSeen.get()).as("liveness 503").isBetween(0L, twoSeconds);

            Map<String, Object> holder = JsonPath.read(holderBody.get(), "$.loops[0].batonHolder");
            assertThat(holder).containsEntry("taskName", "blocker").containsKey("heldForMs");
            assertThat((List<String>) holder.get("stack")).anyMatch(f -> f.startsWith("java.base/java.lang.Thread.sleep("))
                    .anyMatch(f -> f.startsWith("dev.taskloop.demo.DemoTasks.blocker("));
            Map<String, Object> main = JsonPath.read(downBody.get(), "$.components.taskloop.details.loops.main");
            assertThat(main).containsEntry("status", "STUCK").containsEntry("batonHolder", "blocker");
            assertThat(((Number) main.get("heldForMs")).doubleValue()).isGreaterThanOrEqualTo(500);
            assertThat(JsonPath.<Integer>read(downBody.get(), "$.components.taskloop.details.stuckThresholdMs")).isEqualTo(500);
            assertThat(JsonPath.<List<String>>read(downBody.get(), "$.components.taskloop.details.problems"))
                    .anyMatch(p -> p.startsWith("loop 'main' is stuck: task 'blocker' (id "));

            long t1 = System.nanoTime();
            assertThat(demo.post("/demo/blocker?enabled=false").statusCode()).isEqualTo(200);
            AtomicLong allUp = new AtomicLong(-1);
            try {
                Polling.poll("everything UP again after the blocker stopped (the last block, then the 5 s lag window)", Duration.ofSeconds(20),
                        Duration.ofMillis(100)).until(() -> {
                            HttpResponse<String> health = demo.get("/actuator/health");
                            if (health.statusCode() == 200 && "UP".equals(JsonPath.read(health.body(), "$.status"))
                                    && "UP".equals(JsonPath.read(health.body(), "$.components.taskloop.status"))
                                    && demo.get("/actuator/health/liveness").statusCode() == 200
                                    && demo.get("/actuator/health/readiness").statusCode() == 200
                                    && "OK".equals(JsonPath.read(demo.get("/actuator/taskloop").body(), "$.loops[0].status"))) {
                                allUp.set(System.nanoTime() - t1);
                            }
                            return allUp.get() >= 0;
                        });
            } finally {
                System.out.printf("blocker switched off: health, taskloop, liveness and readiness all UP again after %d ms%n",
                        allUp.get() / 1_000_000);
            }
            assertThat(allUp.get()).as("everything UP again after the blocker stopped (the last block, then the 5 s lag window)")
                    .isPositive();
        }
    }

    private static boolean holdsTheBatonInThreadSleep(String body) {
        List<Map<String, Object>> holders = JsonPath.read(body, "$.loops[?(@.batonHolder)].batonHolder");
        return holders.stream().anyMatch(h -> "blocker".equals(h.get("taskName"))
                && ((List<?>) h.get("stack")).stream().anyMatch(f -> f.toString().startsWith("java.base/java.lang.Thread.sleep(")));
    }

    private static String status(HttpResponse<String> r) {
        return JsonPath.read(r.body(), "$.status");
    }
}
