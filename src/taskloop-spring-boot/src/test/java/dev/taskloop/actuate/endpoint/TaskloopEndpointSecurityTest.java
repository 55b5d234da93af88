package dev.taskloop.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.taskloop.core.Async;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.Task;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application that has Spring Security (here: a test dependency, in a surefire execution of its
 * own) and turns the endpoint's write access on restricts cancelling and the control requests to a
 * role, as the README shows: over real HTTP, anonymous DELETE is 401, a user without the role 403,
 * the operator 204; the same for POST (202 for the operator); reading, the dashboard page included,
 * takes a lesser role. Every request that reaches the endpoint is an audit event in the application's
 * {@code AuditEventRepository}, and Spring Security audits the refused ones.
 */
@SpringBootTest(classes = TaskloopEndpointSecurityTest.SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=health,taskloop", "management.endpoint.taskloop.access=unrestricted",
                "taskloop.shutdown.exit-zero-on-sigterm=false", "server.address=127.0.0.1"})
class TaskloopEndpointSecurityTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class SecuredApplication {

        /** The README's example: health for anyone, reading for viewers and operators, cancelling for operators only. */
        @Bean
        SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
            return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                    .authorizeHttpRequests(requests -> requests
                            .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                            .requestMatchers(EndpointRequest.to(TaskloopEndpoint.class).withHttpMethod(HttpMethod.GET))
                            .hasAnyRole("TASKLOOP_OPERATOR", "TASKLOOP_VIEWER")     // the JSON and the dashboard page
                            .requestMatchers(EndpointRequest.to(TaskloopEndpoint.class)).hasRole("TASKLOOP_OPERATOR") // DELETE, POST
                            .anyRequest().denyAll())
                    .httpBasic(Customizer.withDefaults())
                    .csrf(csrf -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint())) // called by scripts, not browsers
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("alice").password("{noop}alice-secret").roles("TASKLOOP_OPERATOR").build(),
                    User.withUsername("bob").password("{noop}bob-secret").roles("TASKLOOP_VIEWER").build());
        }

        /** With a repository, Spring Boot records audit events: ours, and Spring Security's. */
        @Bean
        InMemoryAuditEventRepository auditEvents() {
            return new InMemoryAuditEventRepository();
        }

        @Bean
        Victim victim() {
            return new Victim();
        }
    }

    static class Victim {
        @BackgroundTask(name = "victim")
        void sleep() {
            Async.sleep(Duration.ofDays(1));
        }

        @BackgroundTask(name = "report", fixedRate = "1h", initialDelay = "1h")
        void report() {
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    DeclaredTaskRegistry declared;

    @Autowired
    AuditEventRepository audit;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> send(String method, String path, String user, String password) throws Exception {
        return send(method, path, user, password, null);
    }

    private HttpResponse<String> send(String method, String path, String user, String password, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyTheOperatorRoleMayCancelAndEveryAttemptIsAudited() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        DeclaredTask victim = declared.find("victim").orElseThrow();
        Task<?> attempt = victim.task();
        assertThat(attempt).isNotNull();

        assertThat(send("GET", "/actuator/health", null, null).statusCode()).as("health, anonymous").isEqualTo(200);
        assertThat(send("GET", "/actuator/taskloop", null, null).statusCode()).as("read, anonymous").isEqualTo(401);
        assertThat(send("DELETE", "/actuator/taskloop/victim", null, null).statusCode()).as("cancel, anonymous").isEqualTo(401);
        assertThat(send("DELETE", "/actuator/taskloop/victim", "alice", "wrong").statusCode()).as("cancel, bad password").isEqualTo(401);
        HttpResponse<String> read = send("GET", "/actuator/taskloop/victim", "bob", "bob-secret");
        assertThat(read.statusCode()).as("read, viewer").isEqualTo(200);
        assertThat(JsonPath.<String>read(read.body(), "$.task.name")).isEqualTo("victim");
        assertThat(send("DELETE", "/actuator/taskloop/victim", "bob", "bob-secret").statusCode()).as("cancel, viewer").isEqualTo(403);
        assertThat(attempt.isCancelRequested()).as("refused requests cancel nothing").isFalse();
        assertThat(audit.find(null, start, TaskloopEndpoint.AUDIT_CANCEL)).as("refused requests never reach the endpoint").isEmpty();

        assertThat(send("DELETE", "/actuator/taskloop/victim", "alice", "alice-secret").statusCode()).as("cancel, operator").isEqualTo(204);
        assertThat(attempt.toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
        assertThat(attempt.snapshot().cancelReason())
                .isEqualTo(CancelReason.of(CancelOrigins.OPERATOR, "cancelled by operator 'alice' through the Actuator endpoint 'taskloop'"));
        HttpResponse<String> again = send("DELETE", "/actuator/taskloop/victim", "alice", "alice-secret");
        assertThat(again.statusCode()).as("cancel again, operator: %s", again.body()).isEqualTo(409);

        List<AuditEvent> cancels = audit.find(null, start, TaskloopEndpoint.AUDIT_CANCEL);
        assertThat(cancels).extracting(AuditEvent::getPrincipal).containsExactly("alice", "alice");
        assertThat(cancels.get(0).getData()).containsEntry("task", "victim").containsEntry("outcome", "CANCELLED")
                .containsEntry("taskId", attempt.id());
        assertThat(cancels.get(1).getData()).containsEntry("outcome", "ALREADY_ENDED");
        assertThat(audit.find("bob", start, "AUTHORIZATION_FAILURE")).as("Spring Security's audit event for bob's 403").isNotEmpty();
        assertThat(audit.find("alice", start, "AUTHENTICATION_FAILURE")).as("... and for alice's wrong password").isNotEmpty();
        System.out.printf("security: anonymous 401, viewer 403, operator 204 then 409; audit events %s%n",
                audit.find(null, start, null).stream().map(e -> e.getPrincipal() + ":" + e.getType()).toList());
    }

    @Test
    void onlyTheOperatorRoleMaySendControlRequestsAndViewersSeeTheDashboard() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        DeclaredTask report = declared.find("report").orElseThrow();
        String pause = "{\"action\":\"pause\"}";

        assertThat(send("POST", "/actuator/taskloop/report", null, null, pause).statusCode()).as("control, anonymous").isEqualTo(401);
        assertThat(send("POST", "/actuator/taskloop/report", "bob", "bob-secret", pause).statusCode()).as("control, viewer").isEqualTo(403);
        assertThat(report.isPaused()).as("refused requests change nothing").isFalse();
        assertThat(send("GET", "/actuator/taskloop/ui", null, null).statusCode()).as("dashboard, anonymous").isEqualTo(401);
        HttpResponse<String> page = send("GET", "/actuator/taskloop/ui", "bob", "bob-secret");
        assertThat(page.statusCode()).as("dashboard, viewer").isEqualTo(200);
        assertThat(page.body()).contains("content=\"unrestricted\""); // the buttons show; the endpoint refuses a viewer's request (403)

        HttpResponse<String> paused = send("POST", "/actuator/taskloop/report", "alice", "alice-secret", pause);
        assertThat(paused.statusCode()).as("control, operator: %s", paused.body()).isEqualTo(202);
        assertThat(report.isPaused()).isTrue();
        assertThat(send("POST", "/actuator/taskloop/report", "alice", "alice-secret", "{\"action\":\"resume\"}").statusCode()).isEqualTo(202);

        assertThat(audit.find(null, start, "TASKLOOP_PAUSE")).extracting(AuditEvent::getPrincipal).containsExactly("alice");
        assertThat(audit.find("alice", start, "TASKLOOP_RESUME")).singleElement()
                .satisfies(e -> assertThat(e.getData()).containsEntry("task", "report").containsEntry("outcome", "ACCEPTED"));
        assertThat(audit.find("bob", start, "AUTHORIZATION_FAILURE")).as("Spring Security's audit event for bob's 403").isNotEmpty();
    }
}
