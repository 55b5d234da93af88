package dev.taskloop.demo;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The demo: a Spring Boot application whose background work runs on a Taskloop event loop
 * ({@code ./mvnw spring-boot:run}). See {@link DemoTasks} for the tasks and what they show.
 */
@SpringBootApplication
public class DemoApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(DemoApplication.class)
                // Tasks run on virtual threads, which do not keep the JVM alive by themselves.
                .properties("spring.main.keep-alive=true")
                .run(args);
    }
}
