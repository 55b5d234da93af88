package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract of {@code /actuator/taskloop} against the packaged demo, over real HTTP: 200,
 * 204, 400, 404, 405, 415 (and 409), never a 500; and DELETE and POST refused (405) with the default read-only access.
 */
class TaskloopEndpointIT {

    /** Every status seen, to check that none was a 5xx. */
    private final List<String> seen = new ArrayList<>();

    private HttpResponse<String> call(DemoProcess demo, String method, String path) throws Exception {
        HttpResponse<String> r = demo.send(method, path);
        seen.add(method + " " + path + " -> " + r.statusCode());
        return r;
    }

    @Test
    void theEndpointAnswers200204400404405AndNever500() throws Exception {
        try (DemoProcess demo = DemoProcess.start("--taskloop.shutdown.timeout=2s")) {
            demo.awaitReady(Duration.ofSeconds(60));

            HttpResponse<String> all = call(demo, "GET", "/actuator/taskloop");
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.headers().firstValue("Content-Type")).get().asString().contains("json");
            assertThat(JsonPath.<String>read(all.body(), "$.loops[0].name")).isEqualTo("main");
            assertThat(JsonPath.<List<String>>read(all.body(), "$.declared[*].name")).contains("ticker", "report", "blocker", "stubborn");
            List<Integer> tickerIds = JsonPath.read(all.body(), "$.declared[?(@.name == 'ticker')].taskId");
            assertThat(tickerIds).hasSize(1);
            int tickerId = tickerIds.getFirst();

            HttpResponse<String> byName = call(demo, "GET", "/actuator/taskloop/ticker");
            assertThat(byName.statusCode()).isEqualTo(200);
            assertThat(JsonPath.<Integer>read(byName.body(), "$.task.id")).isEqualTo(tickerId);
            assertThat(JsonPath.<List<String>>read(byName.body(), "$.stack")).anyMatch(f -> f.startsWith("dev.taskloop.core.Async.sleep("));
            HttpResponse<String> byId = call(demo, "GET", "/actuator/taskloop/" + tickerId);
            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(JsonPath.<String>read(byId.body(), "$.task.name")).isEqualTo("ticker");

            assertThat(call(demo, "GET", "/actuator/taskloop/no-such-task").statusCode()).isEqualTo(404);
            assertThat(call(demo, "GET", "/actuator/taskloop/987654321").statusCode()).isEqualTo(404);
            assertThat(call(demo, "GET", "/actuator/taskloop/0").statusCode()).isEqualTo(400);
            assertThat(call(demo, "GET", "/actuator/taskloop/99999999999999999999").statusCode()).isEqualTo(400);
            assertThat(call(demo, "GET", "/actuator/taskloop/%20").statusCode()).isEqualTo(400);
            assertThat(call(demo, "GET", "/actuator/taskloop/" + "x".repeat(300)).statusCode()).isEqualTo(400);

            assertThat(call(demo, "POST", "/actuator/taskloop/ticker").statusCode()).as("a control request needs its JSON body").isEqualTo(415);
            assertThat(call(demo, "PUT", "/actuator/taskloop/ticker").statusCode()).isEqualTo(405);
            assertThat(call(demo, "DELETE", "/actuator/taskloop").statusCode()).isEqualTo(405);

            assertThat(call(demo, "DELETE", "/actuator/taskloop/no-such-task").statusCode()).isEqualTo(404);
            assertThat(call(demo, "DELETE", "/actuator/taskloop/0").statusCode()).isEqualTo(400);
            HttpResponse<String> cancelled = call(demo, "DELETE", "/actuator/taskloop/ticker");
            assertThat(cancelled.statusCode()).isEqualTo(204);
            assertThat(cancelled.body()).isEmpty();
            HttpResponse<String> again = call(demo, "DELETE", "/actuator/taskloop/ticker");
            assertThat(again.statusCode()).as("already ended: %s", again.body()).isEqualTo(409);
            assertThat(JsonPath.<String>read(again.body(), "$.outcome")).isEqualTo("ALREADY_ENDED");

            HttpResponse<String> after = call(demo, "GET", "/actuator/taskloop/ticker");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(JsonPath.<String>read(after.body(), "$.ended.outcome")).isEqualTo("CANCELLED");
            assertThat(JsonPath.<String>read(after.body(), "$.ended.cause")).isEqualTo("operator");
            assertThat(JsonPath.<String>read(after.body(), "$.declared.status")).isEqualTo("STOPPED");
            assertThat(JsonPath.<List<Map<String, Object>>>read(call(demo, "GET", "/actuator/taskloop").body(),
                    "$.recentlyEnded[?(@.name == 'ticker')]")).singleElement()
                    .satisfies(e -> assertThat(e).containsEntry("cause", "operator").containsEntry("id", tickerId));

            assertThat(seen).as("no 5xx").noneMatch(s -> s.matches(".* -> 5\\d\\d"));
            System.out.println("taskloop endpoint over HTTP: " + String.join("; ", seen));
        }
    }

    @Test
    void withTheDefaultReadOnlyAccessDeleteAndPostAreNotAllowed() throws Exception {
        try (DemoProcess demo = DemoProcess.start("--taskloop.shutdown.timeout=2s", "--management.endpoint.taskloop.access=read-only")) {
            demo.awaitReady(Duration.ofSeconds(60));
            assertThat(call(demo, "GET", "/actuator/taskloop/ticker").statusCode()).isEqualTo(200);
            assertThat(call(demo, "DELETE", "/actuator/taskloop/ticker").statusCode()).isEqualTo(405);
            assertThat(call(demo, "DELETE", "/actuator/taskloop/no-such-task").statusCode()).isEqualTo(405);
            assertThat(call(demo, "POST", "/actuator/taskloop/ticker").statusCode()).isEqualTo(405);
            assertThat(JsonPath.<String>read(call(demo, "GET", "/actuator/taskloop/ticker").body(), "$.task.state")).isNotEqualTo("CANCELLED");
        }
    }
}
