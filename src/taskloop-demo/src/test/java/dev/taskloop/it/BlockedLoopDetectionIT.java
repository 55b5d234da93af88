package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
            long holderSeen = -1;
            long downSeen = -1;
            long livenessSeen = -1;
            String holderBody = null;
            String downBody = null;
            while ((holderSeen < 0 || downSeen < 0 || livenessSeen < 0) && System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos()) {
                if (holderSeen < 0) {
                    String body = demo.get("/actuator/taskloop").body();
                    if (holdsTheBatonInThreadSleep(body)) {
                        holderSeen = System.nanoTime() - t0;
                        holderBody = body;
                    }
                }
                if (downSeen < 0) {
                    HttpResponse<String> health = demo.get("/actuator/health");
                    if ("DOWN".equals(JsonPath.read(health.body(), "$.components.taskloop.status"))) {
                        downSeen = System.nanoTime() - t0;
                        downBody = health.body();
                        assertThat(health.statusCode()).isEqualTo(503);
                    }
                }
                if (livenessSeen < 0 && demo.get("/actuator/health/liveness").statusCode() == 503) {
                    livenessSeen = System.nanoTime() - t0;
                }
                Thread.sleep(50); // polling another process over HTTP
            }
            System.out.printf("blocker switched on: baton holder named after %d ms, taskloop DOWN after %d ms, liveness 503 after %d ms%n",
                    holderSeen / 1_000_000, downSeen / 1_000_000, livenessSeen / 1_000_000);
            long twoSeconds = Duration.ofSeconds(2).toNanos();
            assertThat(holderSeen).as("endpoint names the blocker as baton holder").isBetween(0L, twoSeconds);
            assertThat(downSeen).as("taskloop health DOWN").isBetween(0L, twoSeconds);
            assertThat(livenessSeen).as("liveness 503").isBetween(0L, twoSeconds);

            Map<String, Object> holder = JsonPath.read(holderBody, "$.loops[0].batonHolder");
            assertThat(holder).containsEntry("taskName", "blocker").containsKey("heldForMs");
            assertThat((List<String>) holder.get("stack")).anyMatch(f -> f.startsWith("java.base/java.lang.Thread.sleep("))
                    .anyMatch(f -> f.startsWith("dev.taskloop.demo.DemoTasks.blocker("));
            Map<String, Object> main = JsonPath.read(downBody, "$.components.taskloop.details.loops.main");
            assertThat(main).containsEntry("status", "STUCK").containsEntry("batonHolder", "blocker");
            assertThat(((Number) main.get("heldForMs")).doubleValue()).isGreaterThanOrEqualTo(500);
            assertThat(JsonPath.<Integer>read(downBody, "$.components.taskloop.details.stuckThresholdMs")).isEqualTo(500);
            assertThat(JsonPath.<List<String>>read(downBody, "$.components.taskloop.details.problems"))
                    .anyMatch(p -> p.startsWith("loop 'main' is stuck: task 'blocker' (id "));

            long t1 = System.nanoTime();
            assertThat(demo.post("/demo/blocker?enabled=false").statusCode()).isEqualTo(200);
            long allUp = -1;
            while (allUp < 0 && System.nanoTime() - t1 < Duration.ofSeconds(20).toNanos()) {
                HttpResponse<String> health = demo.get("/actuator/health");
                if (health.statusCode() == 200 && "UP".equals(JsonPath.read(health.body(), "$.status"))
                        && "UP".equals(JsonPath.read(health.body(), "$.components.taskloop.status"))
                        && demo.get("/actuator/health/liveness").statusCode() == 200
                        && demo.get("/actuator/health/readiness").statusCode() == 200
                        && "OK".equals(JsonPath.read(demo.get("/actuator/taskloop").body(), "$.loops[0].status"))) {
                    allUp = System.nanoTime() - t1;
                }
                Thread.sleep(100); // polling another process over HTTP
            }
            System.out.printf("blocker switched off: health, taskloop, liveness and readiness all UP again after %d ms%n", allUp / 1_000_000);
            assertThat(allUp).as("everything UP again after the blocker stopped (the last block, then the 5 s lag window)")
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
