package dev.taskloop.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The demo: a Spring Boot web application whose background work runs as Taskloop tasks
 * ({@code ./mvnw spring-boot:run}); see {@link DemoTasks} and {@link DemoIngest}. Its settings are in
 * {@code application.properties}; once it is ready, {@link DemoReady} logs where to look.
 *
 * <p>Its health thresholds are tighter than the defaults so that the {@code blocker} task shows the
 * whole detection chain within two seconds of being switched on ({@code POST /demo/blocker?enabled=true}):
 * it blocks the loop for 2 s every 0.5 s, a loop counts as stuck after 500 ms (default 5 s), and the
 * monitor looks every 100 ms (default 250 ms); so the endpoint names it as the baton holder, the
 * {@code taskloop} health component is DOWN and liveness answers 503 about one second after the
 * switch. Write access to the {@code taskloop} endpoint is on ({@code DELETE /actuator/taskloop/{task}}
 * cancels): the demo listens on loopback only; an application should think twice before doing the same.
 *
 * <p>{@code POST /demo/runaway?perSecond=10000&seconds=10} ({@link DemoRunaway}) is a bug on purpose:
 * it spawns tasks that leak, and shows admission control ({@code taskloop.admission.*}) at work.
 */
@SpringBootApplication
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
