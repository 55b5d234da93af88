package dev.taskloop.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.actuate.LoopEvents;
import dev.taskloop.actuate.RecentEvents;
import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopHealthAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.LoopAssessment;
import dev.taskloop.spring.support.LoopDirectory;
import dev.taskloop.spring.support.LoopMonitor;
import dev.taskloop.spring.support.TaskloopLifecycle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code taskloop} health component: UP, DOWN (stuck loop, critical task failed), SATURATED, OUT_OF_SERVICE. */
@SuppressWarnings("unchecked")
class TaskloopHealthIndicatorTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class, TaskloopHealthAutoConfiguration.class))
            .withPropertyValues("taskloop.shutdown.exit-zero-on-sigterm=false", "taskloop.slow-step-threshold=50ms",
                    "taskloop.health.stuck-threshold=100ms", "taskloop.health.check-interval=50ms");

    private static Map<String, Object> loop(Health h, String name) {
        return (Map<String, Object>) ((Map<String, Object>) h.getDetails().get("loops")).get(name);
    }

    @Test
    void isUpWithEveryLoopsFiguresAndTheThresholds() {
        runner.run(context -> {
            Health h = context.getBean("taskloopHealthIndicator", TaskloopHealthIndicator.class).health();
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(loop(h, "main")).containsEntry("status", "OK").containsKeys("queueDepth", "utilization", "lagP99Ms", "lagSteps",
                    "windowMs", "slowSteps", "blockedSteps");
            assertThat(h.getDetails()).containsEntry("stuckThresholdMs", 100L).containsEntry("lagThresholdMs", 250L)
                    .containsEntry("lagWindowMs", 10_000L).doesNotContainKeys("problems", "failedCriticalTasks");
        });
    }

    @Test
    void isDownWhileALoopIsStuckAndNamesTheTaskHoldingItForHowLong() {
        runner.run(context -> {
            try (LoopEvents.Hog hog = LoopEvents.hog(context.getBean(EventLoop.class), "hog")) {
                Health h = context.getBean(TaskloopHealthIndicator.class).health();
                assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                assertThat(loop(h, "main")).containsEntry("status", "STUCK").containsEntry("batonHolder", "hog")
                        .containsEntry("batonHolderId", hog.task().id()).containsEntry("blocked", true);
                assertThat((double) loop(h, "main").get("heldForMs")).isGreaterThanOrEqualTo(100);
                assertThat((List<?>) h.getDetails().get("problems")).singleElement().asString()
                        .startsWith("loop 'main' is stuck: task 'hog' (id " + hog.task().id() + ") has held its baton for ");
            }
        });
    }

    static class Critical {
        @BackgroundTask(name = "payments", critical = true, restart = Restart.NEVER)
        void payments() {
            throw new IllegalStateException("cannot reach the payment provider");
        }

        @BackgroundTask(name = "optional", restart = Restart.NEVER)
        void optional() {
            throw new IllegalStateException("not critical");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CriticalConfig {
        @Bean
        Critical critical() {
            return new Critical();
        }
    }

    @Test
    void isDownWhenACriticalDeclaredTaskHasFailedForGoodButNotForAnotherTask() {
        runner.withUserConfiguration(CriticalConfig.class).run(context -> {
            context.getBean(EventLoop.class).spawn(() -> { }).join(); // the declared tasks' first (and last) step has run
            Health h = context.getBean(TaskloopHealthIndicator.class).health();
            assertThat(h.getStatus()).isEqualTo(Status.DOWN);
            assertThat(h.getDetails()).containsEntry("failedCriticalTasks",
                    Map.of("payments", "java.lang.IllegalStateException: cannot reach the payment provider"));
            assertThat((List<Object>) h.getDetails().get("problems")).containsExactly(
                    "critical task 'payments' has failed for good: java.lang.IllegalStateException: cannot reach the payment provider");
            assertThat(loop(h, "main")).containsEntry("status", "OK");
        });
    }

    @Test
    void isSaturatedWhenTheRecentLagP99IsOverTheThresholdWithTheNumbers() {
        try (TestLoop test = TestLoop.create()) {
            LoopMonitor monitor = monitor(test.loop());
            monitor.record(test.loop().snapshot());
            test.loop().spawn("main", () -> {
                Async.spawn("hog", () -> test.ticker().advance(Duration.ofMillis(300)));
                Async.spawn("victim", () -> { });
            });
            test.runCurrent();

            Health h = new TaskloopHealthIndicator(monitor, new RecentEvents(0)).health();
            assertThat(h.getStatus()).isEqualTo(TaskloopHealthIndicator.SATURATED);
            assertThat(h.getStatus().getCode()).isEqualTo("SATURATED");
            assertThat(loop(h, "test")).containsEntry("status", "SATURATED").containsEntry("lagP99Ms", 300.0)
                    .containsEntry("lagMaxMs", 300.0).containsEntry("lagSteps", 3L).containsEntry("windowMs", 300.0)
                    .containsEntry("utilization", 1.0);
            assertThat((List<Object>) h.getDetails().get("problems")).containsExactly(
                    "loop 'test' is saturated: lag p99 300.0 ms over the last 300 ms (threshold 100 ms, 3 steps)");
        }
    }

    @Test
    void isOutOfServiceOnceALoopIsClosed() {
        TestLoop test = TestLoop.create();
        LoopMonitor monitor = monitor(test.loop());
        test.close();
        Health h = new TaskloopHealthIndicator(monitor, new RecentEvents(0)).health();
        assertThat(h.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(loop(h, "test")).containsEntry("status", "CLOSED");
    }

    private static LoopMonitor monitor(EventLoop loop) {
        LoopDirectory loops = new LoopDirectory(List.of(loop), loop);
        DeclaredTaskRegistry declared = new DeclaredTaskRegistry();
        return new LoopMonitor(loops, declared, TaskloopLifecycle.builder(loops, declared).shutdownTimeout(Duration.ZERO).build(),
                e -> { }, new DefaultListableBeanFactory().getBeanProvider(ApplicationAvailability.class),
                new LoopAssessment.Settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMillis(100), true));
    }
}
