package dev.taskloop.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.actuate.endpoint.TaskloopEndpoint;
import dev.taskloop.actuate.health.TaskloopHealthIndicator;
import dev.taskloop.actuate.metrics.TaskloopMetrics;
import dev.taskloop.autoconfigure.actuate.TaskloopEndpointAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopHealthAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopMetricsAutoConfiguration;
import dev.taskloop.core.Admission;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.spi.AdmissionSnapshot;
import dev.taskloop.spring.support.LoopDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code taskloop.admission.*}: applied to every auto-configured loop, and visible in health, the endpoint and the meters. */
class AdmissionPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class, TaskloopEndpointAutoConfiguration.class,
                    TaskloopHealthAutoConfiguration.class, TaskloopMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withPropertyValues("taskloop.shutdown.exit-zero-on-sigterm=false");

    @Test
    void everyLoopGetsTheDefaultPolicyOfAHundredThousandLiveTasksAndSpawnersThatWait() {
        runner.withPropertyValues("taskloop.loops=main,io").run(context -> {
            TaskloopProperties.Admission p = context.getBean(TaskloopProperties.class).getAdmission();
            assertThat(p.toPolicy()).isEqualTo(Admission.DEFAULT);
            for (EventLoop loop : context.getBean(LoopDirectory.class).all()) {
                AdmissionSnapshot a = loop.snapshot().admission();
                assertThat(a.maxTasks()).as(loop.name()).isEqualTo(100_000);
                assertThat(a.lagSloNanos()).isZero();
                assertThat(a.mode()).isEqualTo("WAIT");
            }
        });
    }

    @Test
    void thePropertiesAreAppliedToEveryLoopAndTheModeIsCaseInsensitive() {
        runner.withPropertyValues("taskloop.loops=main,io", "taskloop.admission.max-tasks=2", "taskloop.admission.lag-slo=150ms",
                "taskloop.admission.mode=fail").run(context -> {
                    for (EventLoop loop : context.getBean(LoopDirectory.class).all()) {
                        AdmissionSnapshot a = loop.snapshot().admission();
                        assertThat(a.maxTasks()).isEqualTo(2);
                        assertThat(a.lagSloNanos()).isEqualTo(Duration.ofMillis(150).toNanos());
                        assertThat(a.mode()).isEqualTo("FAIL");
                    }
                    EventLoop io = context.getBean(LoopDirectory.class).find("io");
                    io.spawn("one", () -> Async.sleep(Duration.ofDays(1)));
                    io.spawn("two", () -> Async.sleep(Duration.ofDays(1)));
                    assertThatThrownBy(() -> io.spawn("three", () -> { })).isInstanceOf(RejectedExecutionException.class)
                            .hasMessageStartingWith("event loop 'io' is over its admission limit (2 live tasks of at most 2)");
                });
    }

    @Test
    void aFullLoopShowsAsOverloadedInHealthAndTheEndpointAndItsPolicyAndCountsInTheMeters() {
        runner.withPropertyValues("taskloop.admission.max-tasks=3", "taskloop.admission.mode=shed",
                "management.endpoints.web.exposure.include=taskloop").run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(context).hasSingleBean(TaskloopMetrics.class);
                    EventLoop loop = context.getBean(EventLoop.class);
                    assertThat(registry.get("taskloop.admission.overloaded").gauge().value()).isZero();
                    for (int i = 0; i < 3; i++) {
                        loop.spawn("leak-" + i, () -> Async.sleep(Duration.ofDays(1)));
                    }
                    for (int i = 0; i < 5; i++) {
                        loop.spawn("shed-" + i, () -> { });
                    }

                    Health h = context.getBean(TaskloopHealthIndicator.class).health();
                    assertThat(h.getStatus()).isEqualTo(TaskloopHealthIndicator.SATURATED);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> main = (Map<String, Object>) ((Map<String, Object>) h.getDetails().get("loops")).get("main");
                    assertThat(main).containsEntry("status", "OVERLOADED").containsEntry("liveTasks", 3);
                    assertThat(main.get("admission")).isEqualTo(Map.of("maxTasks", 3, "lagSloMs", 0.0, "mode", "SHED", "overloaded", false,
                            "waiting", 0, "waited", 0L, "rejected", 0L, "shed", 5L));
                    assertThat(h.getDetails().get("problems")).asString().contains("loop 'main' is overloaded: 3 live tasks of at most 3");

                    TaskloopEndpoint.LoopDescriptor d = context.getBean(TaskloopEndpoint.class).taskloop().loops().getFirst();
                    assertThat(d.status()).isEqualTo("OVERLOADED");
                    assertThat(d.admission()).isEqualTo(new TaskloopEndpoint.AdmissionDescriptor(3, 0.0, "SHED", false, 0, 0, 0, 5));

                    assertThat(registry.get("taskloop.admission.limit").tag("loop", "main").tag("mode", "shed").gauge().value()).isEqualTo(3);
                    assertThat(registry.get("taskloop.admission.lag.slo").gauge().value()).isZero();
                    assertThat(registry.get("taskloop.admission.overloaded").gauge().value()).isEqualTo(1);
                    assertThat(registry.get("taskloop.admission.waiting").gauge().value()).isZero();
                    assertThat(registry.get("taskloop.admission.spawns").tag("outcome", "shed").functionCounter().count()).isEqualTo(5);
                    assertThat(registry.get("taskloop.admission.spawns").tag("outcome", "rejected").functionCounter().count()).isZero();
                    assertThat(registry.get("taskloop.admission.spawns").tag("outcome", "waited").functionCounter().count()).isZero();
                });
    }
}
