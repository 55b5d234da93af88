package dev.taskloop.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.actuate.RecentEvents;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint;
import dev.taskloop.actuate.health.TaskloopHealthIndicator;
import dev.taskloop.actuate.metrics.TaskloopMetrics;
import dev.taskloop.autoconfigure.actuate.TaskloopEndpointAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopHealthAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopMetricsAutoConfiguration;
import dev.taskloop.core.EventLoop;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.LoopDirectory;
import dev.taskloop.spring.support.LoopMonitor;
import dev.taskloop.spring.support.TaskloopLifecycle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

class TaskloopAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class));

    @Test
    void createsOneDefaultLoopNamedMainWithTheDefaults() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(EventLoop.class).hasSingleBean(LoopDirectory.class)
                    .hasSingleBean(TaskloopLifecycle.class).hasSingleBean(DeclaredTaskRegistry.class);
            EventLoop loop = context.getBean(EventLoop.class);
            assertThat(loop.name()).isEqualTo("main");
            assertThat(loop.snapshot().slowStepThresholdNanos()).isEqualTo(Duration.ofMillis(100).toNanos());
            TaskloopProperties p = context.getBean(TaskloopProperties.class);
            assertThat(p.isEnabled()).isTrue();
            assertThat(p.isWatchdog()).isTrue();
            assertThat(p.isMeasure()).isTrue();
            assertThat(p.getShutdown().getTimeout()).isEqualTo(Duration.ofSeconds(20));
        });
    }

    @Test
    void bindsEveryProperty() {
        runner.withPropertyValues("taskloop.loops=io,cpu-1", "taskloop.slow-step-threshold=250ms", "taskloop.watchdog=false",
                "taskloop.measure=false", "taskloop.shutdown.timeout=5s").run(context -> {
                    LoopDirectory loops = context.getBean(LoopDirectory.class);
                    assertThat(loops.names()).containsExactly("io", "cpu-1");
                    assertThat(loops.defaultLoop().name()).isEqualTo("io");
                    assertThat(context.getBean(EventLoop.class)).isSameAs(loops.defaultLoop());
                    assertThat(loops.find("cpu-1").snapshot().slowStepThresholdNanos()).isEqualTo(Duration.ofMillis(250).toNanos());
                    TaskloopProperties p = context.getBean(TaskloopProperties.class);
                    assertThat(p.isWatchdog()).isFalse();
                    assertThat(p.isMeasure()).isFalse();
                    assertThat(p.getShutdown().getTimeout()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void bindsTheLeaderPropertiesInTheirOwnClassWithClientGosDefaults() {
        runner.run(context -> {
            TaskloopLeaderProperties l = context.getBean(TaskloopLeaderProperties.class);
            assertThat(l.getBackend()).isEqualTo(TaskloopLeaderProperties.Backend.AUTO);
            assertThat(List.of(l.getLeaseDuration(), l.getRenewDeadline(), l.getRetryPeriod()))
                    .containsExactly(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
            assertThat(l.getJdbc().getTablePrefix()).isEqualTo("INT_");
            assertThat(l.getKubernetes().getLeaseNamePrefix()).isEmpty();
        });
        runner.withPropertyValues("taskloop.leader.backend=none", "taskloop.leader.identity=pod-1", "taskloop.leader.lease-duration=30s",
                "taskloop.leader.renew-deadline=20s", "taskloop.leader.retry-period=5s", "taskloop.leader.jdbc.table-prefix=APP_",
                "taskloop.leader.kubernetes.namespace=orders", "taskloop.leader.kubernetes.lease-name-prefix=orders-").run(context -> {
                    TaskloopLeaderProperties l = context.getBean(TaskloopLeaderProperties.class);
                    assertThat(l.getBackend()).isEqualTo(TaskloopLeaderProperties.Backend.NONE);
                    assertThat(l.getIdentity()).isEqualTo("pod-1");
                    assertThat(List.of(l.getLeaseDuration(), l.getRenewDeadline(), l.getRetryPeriod()))
                            .containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(5));
                    assertThat(l.getJdbc().getTablePrefix()).isEqualTo("APP_");
                    assertThat(l.getKubernetes().getNamespace()).isEqualTo("orders");
                    assertThat(l.getKubernetes().getLeaseNamePrefix()).isEqualTo("orders-");
                });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnLoop() {
        runner.withUserConfiguration(OwnLoop.class).run(context -> {
            assertThat(context).hasSingleBean(EventLoop.class);
            assertThat(context.getBean(EventLoop.class).name()).isEqualTo("mine");
            assertThat(context.getBean(LoopDirectory.class).names()).containsExactly("mine");
        });
    }

    @Test
    void withSeveralOwnLoopsThePrimaryIsTheDefault() {
        runner.withUserConfiguration(TwoLoops.class).run(context -> {
            LoopDirectory loops = context.getBean(LoopDirectory.class);
            assertThat(loops.names()).containsExactlyInAnyOrder("fast", "slow");
            assertThat(loops.defaultLoop().name()).isEqualTo("fast");
        });
    }

    @Test
    void canBeSwitchedOff() {
        runner.withPropertyValues("taskloop.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(EventLoop.class).doesNotHaveBean(TaskloopLifecycle.class));
    }

    @Test
    void withoutActuatorMicrometerOrHealthOnTheClasspathTaskloopStartsAndItsActuatorPartsBackOff() {
        runner.withConfiguration(AutoConfigurations.of(TaskloopEndpointAutoConfiguration.class, TaskloopHealthAutoConfiguration.class,
                        TaskloopMetricsAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health",
                        "org.springframework.boot.micrometer", "io.micrometer.core"))
                .withPropertyValues("management.endpoints.web.exposure.include=*")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TaskloopLifecycle.class).hasSingleBean(LoopMonitor.class)
                        .doesNotHaveBean(TaskloopEndpoint.class).doesNotHaveBean(TaskloopHealthIndicator.class)
                        .doesNotHaveBean(TaskloopMetrics.class).doesNotHaveBean(RecentEvents.class));
    }

    @Test
    void closingTheContextClosesTheLoops() {
        EventLoop[] seen = new EventLoop[1];
        runner.run(context -> seen[0] = context.getBean(EventLoop.class));
        assertThat(seen[0].isClosed()).isTrue();
    }

    @Test
    void rejectsANonPositiveSlowStepThreshold() {
        assertInvalid("taskloop.slow-step-threshold=0ms", "slowStepThreshold", "PT0S",
                "must be a positive duration, e.g. 100ms");
    }

    @Test
    void rejectsANegativeShutdownTimeout() {
        assertInvalid("taskloop.shutdown.timeout=-1s", "shutdown.timeout", "PT-1S",
                "must be zero or a positive duration, e.g. 20s");
    }

    @Test
    void rejectsABadLoopName() {
        assertInvalid("taskloop.loops=main,Bad_Name", "loops", "[main, Bad_Name]",
                "loop name 'Bad_Name' must be 1 to 63 lower-case letters, digits or dashes, starting and ending with a letter or digit");
    }

    @Test
    void rejectsADuplicateLoopName() {
        assertInvalid("taskloop.loops=a,b,a", "loops", "[a, b, a]", "loop name 'a' appears twice; loop names must be unique");
    }

    @Test
    void rejectsAnEmptyListOfLoops() {
        runner.withPropertyValues("taskloop.loops=").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                    .hasMessageContaining("must name at least one loop (the first is the default loop), e.g. main");
        });
    }

    @Test
    void rejectsAMalformedDuration() {
        runner.withPropertyValues("taskloop.slow-step-threshold=soon").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("taskloop.slow-step-threshold")
                    .hasStackTraceContaining("soon").hasStackTraceContaining("java.time.Duration");
        });
    }

    @Test
    void rejectsAShutdownTimeoutNotShorterThanSpringsPhaseTimeout() {
        runner.withPropertyValues("taskloop.shutdown.timeout=30s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("Property taskloop.shutdown.timeout with value 'PT30S' is invalid: "
                    + "taskloop.shutdown.timeout (PT30S) must be shorter than "
                    + "spring.lifecycle.timeout-per-shutdown-phase (PT30S): Spring stops waiting for the loops after that, cutting off"
                    + " tasks still cleaning up; lower taskloop.shutdown.timeout or raise the phase timeout");
        });
        runner.withPropertyValues("taskloop.shutdown.timeout=30s", "spring.lifecycle.timeout-per-shutdown-phase=45s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    /** The failure names the property (as the bound field), the rejected value and what is allowed. */
    private void assertInvalid(String property, String field, String value, String reason) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOfSatisfying(BindValidationException.class, e -> {
                List<String> messages = e.getValidationErrors().getAllErrors().stream().map(err -> err.getDefaultMessage()).toList();
                assertThat(messages).contains(reason);
            });
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("on field '" + field + "': rejected value [" + value + "]");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLoop {
        @Bean
        EventLoop myLoop() {
            return EventLoop.builder().name("mine").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoLoops {
        @Bean
        @Primary
        EventLoop fast() {
            return EventLoop.builder().name("fast").build();
        }

        @Bean
        EventLoop slow() {
            return EventLoop.builder().name("slow").build();
        }
    }
}
