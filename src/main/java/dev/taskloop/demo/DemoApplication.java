package dev.taskloop.demo;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The demo: a Spring Boot web application whose background work runs as Taskloop tasks
 * ({@code ./mvnw spring-boot:run}); see {@link DemoTasks}. Its settings are defaults given here
 * rather than an {@code application.properties}, which would travel inside the starter's jar into
 * every application that uses it; any of them can be overridden on the command line.
 */
@SpringBootApplication
public class DemoApplication {

    /** The demo's default settings. */
    static final Map<String, Object> DEFAULTS = Map.of(
            "spring.application.name", "taskloop-demo",
            "server.address", "127.0.0.1",
            "management.endpoints.web.exposure.include", "health,info,metrics,taskloop,prometheus",
            "management.endpoint.health.probes.enabled", "true",
            "management.endpoint.health.show-details", "always",
            "logging.pattern.level", "%5p [%X{taskloop.task:-}]");

    public static void main(String[] args) {
        new SpringApplicationBuilder(DemoApplication.class).properties(DEFAULTS).run(args);
    }
}
