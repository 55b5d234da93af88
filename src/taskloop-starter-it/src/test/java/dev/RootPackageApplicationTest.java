package dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.EventLoop;
import dev.taskloop.spring.DeclaredTask;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application whose root package is {@code dev}: its component scan covers {@code dev.taskloop}, the
 * starter's own packages. Nothing of Taskloop's auto-configuration may be picked up by that scan (a bean
 * defined twice stops startup), and the application's declared task ({@code dev.example.worker.Heartbeat},
 * found by the same scan) runs.
 */
class RootPackageApplicationTest {

    @SpringBootApplication
    static class RootApplication {
    }

    @Test
    void anApplicationRootedAtPackageDevStartsAndRunsItsDeclaredTask() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RootApplication.class)
                .web(WebApplicationType.NONE).properties(Map.of("taskloop.keep-alive", "false")).run()) {
            assertThat(context.getBeansOfType(EventLoop.class)).hasSize(1);
            DeclaredTask heartbeat = context.getBeansOfType(dev.taskloop.spring.support.DeclaredTaskRegistry.class).values().iterator().next()
                    .find("heartbeat").orElseThrow();
            Awaitility.await("the heartbeat task runs").atMost(Duration.ofSeconds(10))
                    .until(() -> heartbeat.status() == DeclaredTask.Status.RUNNING);
        }
    }
}
