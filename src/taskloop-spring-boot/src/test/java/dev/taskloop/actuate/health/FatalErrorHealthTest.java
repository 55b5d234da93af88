package dev.taskloop.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopHealthAutoConfiguration;
import dev.taskloop.core.EventLoop;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A declared task that throws an {@link OutOfMemoryError} (any {@link VirtualMachineError}) is not
 * restarted, whatever its policy: it is reported, and the health component is DOWN saying why.
 */
@SuppressWarnings("unchecked")
class FatalErrorHealthTest {

    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class, TaskloopHealthAutoConfiguration.class))
            .withUserConfiguration(Config.class)
            .withPropertyValues("taskloop.shutdown.exit-zero-on-sigterm=false", "taskloop.health.check-interval=50ms",
                    "taskloop.health.stuck-threshold=5s");

    static class Hog {
        @BackgroundTask(name = "hog", restart = Restart.ALWAYS, backoffInitial = "0s", maxRestarts = 100)
        void hog() {
            ATTEMPTS.incrementAndGet();
            throw new OutOfMemoryError("Java heap space (simulated)");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {
        @Bean
        Hog hog() {
            return new Hog();
        }
    }

    private static DeclaredTask settled(AssertableApplicationContext context) {
        EventLoop loop = context.getBean(EventLoop.class);
        DeclaredTask hog = context.getBean(DeclaredTaskRegistry.class).find("hog").orElseThrow();
        for (int i = 0; i < 10_000 && hog.status() != DeclaredTask.Status.FAILED; i++) {
            loop.spawn(() -> { }).join(); // let the loop turn: the attempt fails at its first step
        }
        for (int i = 0; i < 100; i++) {
            loop.spawn(() -> { }).join(); // and a restart, if one were due (backoff 0), would have run by now
        }
        return hog;
    }

    @Test
    void aTaskThatThrowsOutOfMemoryErrorIsNotRestartedAndHealthIsDownSayingWhy() {
        ATTEMPTS.set(0);
        runner.run(context -> {
            DeclaredTask hog = settled(context);
            assertThat(hog.status()).isEqualTo(DeclaredTask.Status.FAILED);
            assertThat(ATTEMPTS).hasValue(1);
            assertThat(hog.restarts()).isZero();

            Health h = context.getBean(TaskloopHealthIndicator.class).health();
            assertThat(h.getStatus()).isEqualTo(Status.DOWN);
            assertThat((List<String>) h.getDetails().get("problems")).anySatisfy(p -> assertThat(p)
                    .contains("loop 'main'", "hog", "java.lang.OutOfMemoryError: Java heap space (simulated)", "not restarted"));
            Map<String, Object> fatal = (Map<String, Object>) h.getDetails().get("fatalErrors");
            assertThat(fatal).hasSize(1);
            assertThat(fatal.keySet().iterator().next()).startsWith("task 'hog' (id ");
        });
    }
}
