package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** While declared tasks run, one non-daemon thread keeps the JVM alive; it goes with the context, and never exists without declared tasks. */
class KeepAliveTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class));

    static class Worker {
        @BackgroundTask(name = "worker")
        void work() {
            Async.sleep(Duration.ofDays(1));
        }
    }

    @Test
    void anApplicationWithADeclaredTaskHoldsOneNonDaemonThreadUntilItsContextCloses() {
        AtomicReference<Thread> held = new AtomicReference<>();
        runner.withBean(Worker.class).run(context -> {
            assertThat(context).hasSingleBean(KeepAlive.class);
            KeepAlive keepAlive = context.getBean(KeepAlive.class);
            assertThat(keepAlive.isRunning()).isTrue();
            held.set(keepAlive.thread());
            assertThat(held.get()).isNotNull().satisfies(t -> {
                assertThat(t.isAlive()).as("alive").isTrue();
                assertThat(t.isDaemon()).as("daemon").isFalse();
                assertThat(t.getName()).isEqualTo("taskloop-keep-alive");
            });
            assertThat(keepAlive.isPauseable()).isFalse();
        });
        Awaitility.await("the keep-alive thread ends with the context").atMost(Duration.ofSeconds(10))
                .until(() -> !held.get().isAlive());
    }

    @Test
    void anApplicationWithoutDeclaredTasksHoldsNothing() {
        runner.run(context -> {
            assertThat(context.getBean(KeepAlive.class).isRunning()).isFalse();
            assertThat(context.getBean(KeepAlive.class).thread()).isNull();
        });
    }

    @Test
    void keepAliveCanBeSwitchedOff() {
        runner.withBean(Worker.class).withPropertyValues("taskloop.keep-alive=false")
                .run(context -> assertThat(context).doesNotHaveBean(KeepAlive.class));
    }
}
