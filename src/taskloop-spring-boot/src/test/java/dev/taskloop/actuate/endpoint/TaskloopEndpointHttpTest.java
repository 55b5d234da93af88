package dev.taskloop.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.DeclaredTasks;
import dev.taskloop.spring.leader.ManualLeaderElection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The control requests and the dashboard over real HTTP, in a real servlet application: the statuses
 * (202, 400, 404, 405, 409, never 500) with the endpoint's message in every refusal's body, the JSON
 * field names of the schedules and executions, the audit events, and the dashboard page served where
 * Actuator is — on the management port of its own when there is one, on the application's port
 * otherwise — with its controls only when write access is on.
 */
class TaskloopEndpointHttpTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
        @Bean
        Tasks tasks() {
            return new Tasks();
        }

        @Bean
        ManualLeaderElection manualLeaderElection() {
            return new ManualLeaderElection();
        }

        /** The audit events as published (an AuditEventRepository would record them too, but Spring Boot 4.1 wants Spring Security for that). */
        @Bean
        TaskloopEndpointTest.AuditEvents auditEvents() {
            return new TaskloopEndpointTest.AuditEvents();
        }
    }

    static class Tasks {
        @BackgroundTask(name = "rate", fixedRate = "1h", initialDelay = "1h")
        void rate() {
        }

        @BackgroundTask(name = "slow", fixedRate = "1h", initialDelay = "1h")
        void slow() {
            Async.sleep(Duration.ofDays(1));
        }

        @BackgroundTask(name = "leader-only", fixedDelay = "1s", singleton = "*")
        void leaderOnly() {
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "management.endpoints.web.exposure.include=health,taskloop", "taskloop.shutdown.exit-zero-on-sigterm=false",
                "spring.main.banner-mode=off"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(Application.class).web(WebApplicationType.SERVLET).properties(all.toArray(String[]::new)).run();
    }

    private static int port(ConfigurableApplicationContext context, String which) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty(which));
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Every status seen, to check that none was a 5xx. */
    private final List<String> seen = new ArrayList<>();

    private HttpResponse<String> send(int port, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        seen.add(method + " " + path + (json == null ? "" : " " + json) + " -> " + r.statusCode());
        return r;
    }

    private static String message(HttpResponse<String> r) {
        return JsonPath.read(r.body(), "$.message");
    }

    /** POSTs {@code json}, checks the refusal's status, and returns its message. */
    private String refusal(int port, String path, String json, int status) throws Exception {
        HttpResponse<String> r = send(port, "POST", path, json);
        assertThat(r.statusCode()).as("%s %s: %s", path, json, r.body()).isEqualTo(status);
        return message(r);
    }

    @Test
    void controlRequestsAnswer202400404And409WithTheirMessageOnAManagementPortOfTheirOwn() throws Exception {
        try (ConfigurableApplicationContext app = start("management.server.port=0", "management.server.address=127.0.0.1",
                "management.endpoint.taskloop.access=unrestricted")) {
            int management = port(app, "local.management.port");
            int server = port(app, "local.server.port");
            assertThat(management).isNotEqualTo(server);
            DeclaredTask slow = app.getBean(DeclaredTasks.class).find("slow").orElseThrow();

            HttpResponse<String> paused = send(management, "POST", "/actuator/taskloop/rate", "{\"action\":\"pause\"}");
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(202);
            assertThat(JsonPath.<String>read(paused.body(), "$.outcome")).isEqualTo("ACCEPTED");
            assertThat(JsonPath.<Boolean>read(paused.body(), "$.declared.paused")).isTrue();

            HttpResponse<String> all = send(management, "GET", "/actuator/taskloop", null);
            assertThat(all.statusCode()).isEqualTo(200);
            Map<String, Object> rate = JsonPath.<List<Map<String, Object>>>read(all.body(), "$.declared[?(@.name == 'rate')]").getFirst();
            assertThat(JsonPath.<String>read(rate, "$.schedule.kind")).isEqualTo("fixedRate");
            assertThat(JsonPath.<Integer>read(rate, "$.schedule.interval")).isEqualTo(3_600_000);
            assertThat(JsonPath.<Integer>read(rate, "$.schedule.initialDelay")).isEqualTo(3_600_000);
            assertThat(JsonPath.<Integer>read(rate, "$.executionCounts.total")).isZero();
            assertThat(JsonPath.<List<Object>>read(rate, "$.recentExecutions")).isEmpty();
            List<String> next = JsonPath.read(all.body(), "$.declared[?(@.name == 'slow')].nextExecution.time");
            assertThat(Instant.parse(next.getFirst())).isAfter(Instant.now().plusSeconds(3000));

            assertThat(send(management, "POST", "/actuator/taskloop/slow", "{\"action\":\"trigger\"}").statusCode()).isEqualTo(202);
            Awaitility.await("slow's run under way").atMost(Duration.ofSeconds(10)).until(() -> slow.lastExecution() != null);
            assertThat(refusal(management, "/actuator/taskloop/slow", "{\"action\":\"trigger\"}", 409))
                    .endsWith("a triggered run never overlaps a running one: trigger again when it has ended");
            HttpResponse<String> detail = send(management, "GET", "/actuator/taskloop/slow", null);
            assertThat(JsonPath.<String>read(detail.body(), "$.declared.lastExecution.status")).isEqualTo("STARTED");
            assertThat(JsonPath.<Boolean>read(detail.body(), "$.declared.lastExecution.triggered")).isTrue();

            assertThat(refusal(management, "/actuator/taskloop/leader-only", "{\"action\":\"pause\"}", 409))
                    .contains("this replica does not lead it (STANDBY)");
            assertThat(refusal(management, "/actuator/taskloop/rate", "{\"action\":\"explode\"}", 400))
                    .isEqualTo("unknown action 'explode'; the actions are pause, resume, trigger, reschedule and restart");
            assertThat(refusal(management, "/actuator/taskloop/rate", "{\"action\":\"reschedule\",\"fixedRat\":\"1s\"}", 400))
                    .isEqualTo("unknown field 'fixedRat'; a control request takes action, and for reschedule fixedRate, fixedDelay, cron, zone,"
                            + " initialDelay, overrun");
            assertThat(refusal(management, "/actuator/taskloop/rate?force=true", "{\"action\":\"resume\"}", 400))
                    .startsWith("unknown field 'force'");
            assertThat(refusal(management, "/actuator/taskloop/rate", "{\"action\":\"reschedule\",\"fixedDelay\":\"10 parsecs\"}", 400))
                    .isEqualTo("The new schedule of task 'rate' has an invalid fixedDelay '10 parsecs'; use a duration such as 500ms, 30s, 5m or PT1M");
            assertThat(refusal(management, "/actuator/taskloop/rate", "{}", 400)).startsWith("a control request names its action");
            HttpResponse<String> noBody = send(management, "POST", "/actuator/taskloop/rate", null);
            assertThat(noBody.statusCode()).as("not JSON (what a cross-site form sends): %s", noBody.body()).isEqualTo(415);
            assertThat(refusal(management, "/actuator/taskloop/0", "{\"action\":\"pause\"}", 400)).isEqualTo("Task id 0 is not valid: ids start at 1");
            assertThat(refusal(management, "/actuator/taskloop/ghost", "{\"action\":\"pause\"}", 404))
                    .startsWith("no declared task has the name or attempt id 'ghost'");
            HttpResponse<String> getGhost = send(management, "GET", "/actuator/taskloop/ghost", null);
            assertThat(getGhost.statusCode()).isEqualTo(404);
            assertThat(message(getGhost)).as("a GET of an unknown task explains, with the words of a DELETE's 404 (audited, so not sent here)")
                    .isEqualTo("no task has the id or declared name 'ghost'; use the id or declared name of a live task, as GET /actuator/taskloop lists them");
            assertThat(JsonPath.<String>read(getGhost.body(), "$.task")).isEqualTo("ghost");
            HttpResponse<String> getSlow = send(management, "GET", "/actuator/taskloop/slow", null);
            assertThat(getSlow.statusCode()).as(getSlow.body()).isEqualTo(200);
            assertThat(JsonPath.<String>read(getSlow.body(), "$.declared.name")).isEqualTo("slow");
            assertThat(send(management, "GET", "/actuator/taskloop/0", null).statusCode()).as("a selector that cannot name a task").isEqualTo(400);

            HttpResponse<String> rescheduled = send(management, "POST", "/actuator/taskloop/rate",
                    "{\"action\":\"reschedule\",\"cron\":\"0 */5 * * * *\",\"zone\":\"UTC\"}");
            assertThat(rescheduled.statusCode()).as(rescheduled.body()).isEqualTo(202);
            assertThat(JsonPath.<String>read(rescheduled.body(), "$.declared.schedule.expression")).isEqualTo("0 */5 * * * *");
            assertThat(JsonPath.<Boolean>read(rescheduled.body(), "$.declared.schedule.rescheduled")).isTrue();

            assertThat(send(server, "POST", "/actuator/taskloop/rate", "{\"action\":\"resume\"}").statusCode())
                    .as("Actuator is not on the application's port").isEqualTo(404);
            assertThat(seen).as("no 5xx: %s", seen).noneMatch(s -> s.matches(".* -> 5\\d\\d"));

            List<AuditEvent> audit = app.getBean(TaskloopEndpointTest.AuditEvents.class).events;
            assertThat(audit).extracting(AuditEvent::getType).containsExactly("TASKLOOP_PAUSE", "TASKLOOP_TRIGGER", "TASKLOOP_TRIGGER",
                    "TASKLOOP_PAUSE", "TASKLOOP_CONTROL", "TASKLOOP_RESCHEDULE", "TASKLOOP_RESUME", "TASKLOOP_RESCHEDULE", "TASKLOOP_CONTROL",
                    "TASKLOOP_PAUSE", "TASKLOOP_PAUSE", "TASKLOOP_RESCHEDULE");
            assertThat(audit).extracting(e -> e.getData().get("outcome")).containsExactly("ACCEPTED", "ACCEPTED", "CONFLICT", "CONFLICT",
                    "BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "UNKNOWN", "ACCEPTED");
            assertThat(audit).extracting(AuditEvent::getPrincipal).containsOnly(TaskloopEndpoint.ANONYMOUS);
            System.out.println("control over HTTP: " + String.join("; ", seen));
        }
    }

    @Test
    void theDashboardIsServedOnTheManagementPortWhenActuatorHasOneWithItsControls() throws Exception {
        try (ConfigurableApplicationContext app = start("management.server.port=0", "management.server.address=127.0.0.1",
                "management.endpoint.taskloop.access=unrestricted")) {
            int management = port(app, "local.management.port");
            HttpResponse<String> page = send(management, "GET", "/actuator/taskloop/ui", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
            assertThat(page.body()).contains("<meta name=\"taskloop-access\" content=\"unrestricted\">").contains("<title>Taskloop</title>");
            assertNonceMatchesThePolicy(page);
            assertThat(send(port(app, "local.server.port"), "GET", "/actuator/taskloop/ui", null).statusCode())
                    .as("not on the application's port").isEqualTo(404);
            assertThat(send(management, "HEAD", "/actuator/taskloop/ui", null).statusCode()).isEqualTo(200);
        }
    }

    /** Every inline script and style carries the nonce of the response's Content-Security-Policy, which allows nothing else. */
    private static void assertNonceMatchesThePolicy(HttpResponse<String> page) {
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).startsWith("default-src 'none'; script-src 'nonce-").contains("connect-src 'self'");
        Matcher m = Pattern.compile("script-src 'nonce-([^']+)'").matcher(csp);
        assertThat(m.find()).isTrue();
        String nonce = m.group(1);
        assertThat(page.body()).contains("<script nonce=\"" + nonce + "\">").contains("<style nonce=\"" + nonce + "\">");
        assertThat(page.body()).doesNotContain("__NONCE__").doesNotContain("__ACCESS__");
    }

    @Test
    void readOnlyTheControlRequestsAreNotThere405AndTheDashboardIsServedOnTheApplicationsPortWithoutControls() throws Exception {
        try (ConfigurableApplicationContext app = start("management.endpoints.web.base-path=/manage")) {
            int server = port(app, "local.server.port");
            assertThat(send(server, "POST", "/manage/taskloop/rate", "{\"action\":\"pause\"}").statusCode()).isEqualTo(405);
            assertThat(send(server, "DELETE", "/manage/taskloop/rate", null).statusCode()).isEqualTo(405);
            assertThat(app.getBean(DeclaredTasks.class).find("rate").orElseThrow().isPaused()).isFalse();
            HttpResponse<String> page = send(server, "GET", "/manage/taskloop/ui", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<meta name=\"taskloop-access\" content=\"read-only\">");
            assertNonceMatchesThePolicy(page);
            assertThat(send(server, "GET", "/manage/taskloop", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutTheEndpointExposedThereIsNoDashboard() throws Exception {
        try (ConfigurableApplicationContext app = start("management.endpoints.web.exposure.include=health")) {
            assertThat(send(port(app, "local.server.port"), "GET", "/actuator/taskloop/ui", null).statusCode()).isEqualTo(404);
        }
    }
}
