package dev.taskloop.demo;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The demo: a Spring Boot web application whose background work runs as Taskloop tasks
 * ({@code ./mvnw spring-boot:run}); see {@link DemoTasks}. Its settings are defaults given here
 * rather than an {@code application.properties}, which would travel inside the starter's jar into
 * every application that uses it; any of them can be overridden on the command line.
 *
 * <p>Its health thresholds are tighter than the defaults so that the {@code blocker} task shows the
 * whole detection chain within two seconds of being switched on ({@code POST /demo/blocker?enabled=true}):
 * it blocks the loop for 2 s every 0.5 s, a loop counts as stuck after 500 ms (default 5 s), and the
 * monitor looks every 100 ms (default 250 ms); so the endpoint names it as the baton holder, the
 * {@code taskloop} health component is DOWN and liveness answers 503 about one second after the
 * switch. The lag window is 5 s (default 10 s), so the saturation that each 2 s block leaves behind
 * (the other tasks waited 2 s) clears 5 s after the blocker is switched off. Write access to the
 * {@code taskloop} endpoint is on ({@code DELETE /actuator/taskloop/{task}} cancels): the demo listens
 * on loopback only; an application should think twice before doing the same.
 *
 * <p>{@code POST /demo/runaway?perSecond=10000&seconds=10} ({@link DemoRunaway}) is a bug on purpose:
 * it spawns tasks that leak, and shows admission control ({@code taskloop.admission.*}) at work.
 */
@SpringBootApplication
public class DemoApplication {

    /** The demo's default settings. */
    static final Map<String, Object> DEFAULTS = Map.ofEntries(
            Map.entry("spring.application.name", "taskloop-demo"),
            Map.entry("server.address", "127.0.0.1"),
            Map.entry("management.endpoints.web.exposure.include", "health,info,metrics,taskloop,prometheus"),
            Map.entry("management.endpoint.health.probes.enabled", "true"),
            Map.entry("management.endpoint.health.show-details", "always"),
            // SATURATED (a custom status) counts in the aggregate, between OUT_OF_SERVICE and UP.
            Map.entry("management.endpoint.health.status.order", "DOWN,OUT_OF_SERVICE,SATURATED,UP,UNKNOWN"),
            Map.entry("management.endpoint.taskloop.access", "unrestricted"),
            Map.entry("taskloop.health.stuck-threshold", "500ms"),
            Map.entry("taskloop.health.check-interval", "100ms"),
            Map.entry("taskloop.health.lag-window", "5s"),
            // An orderly SIGTERM shutdown exits with 0 (a library default of false: the application decides).
            Map.entry("taskloop.shutdown.exit-zero-on-sigterm", "true"),
            Map.entry("logging.pattern.level", "%5p [%X{taskloop.task:-}]"));

    public static void main(String[] args) {
        new SpringApplicationBuilder(DemoApplication.class).properties(DEFAULTS).run(args);
    }
}
