package dev.taskloop.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.actuate.RecentEvents;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint;
import dev.taskloop.actuate.endpoint.TaskloopEndpointWebExtension;
import dev.taskloop.actuate.health.TaskloopHealthIndicator;
import dev.taskloop.actuate.metrics.TaskloopMetrics;
import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.LoopDirectory;
import dev.taskloop.spring.support.LoopMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When the endpoint, its web extension, the health component and the meters exist, each from its own
 * auto-configuration: the endpoint's four access cases (exposed, not exposed, switched off, the
 * application's own bean), write access off by default and on with one property, the meters only
 * with a {@code MeterRegistry}, and backing off with Taskloop.
 */
class TaskloopActuatorAutoConfigurationsTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class, TaskloopEndpointAutoConfiguration.class,
                    TaskloopHealthAutoConfiguration.class, TaskloopMetricsAutoConfiguration.class, EndpointAutoConfiguration.class,
                    WebEndpointAutoConfiguration.class))
            .withPropertyValues("taskloop.shutdown.exit-zero-on-sigterm=false")
            // As in a SpringApplication: lenient conversion, so that the documented access=unrestricted binds.
            .withInitializer(context -> context.getEnvironment().setConversionService(new ApplicationConversionService()));

    @Test
    void theEndpointAndItsWebExtensionExistWhenTheEndpointIsExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=taskloop").run(context -> {
            assertThat(context).hasSingleBean(TaskloopEndpoint.class).hasSingleBean(TaskloopEndpointWebExtension.class)
                    .hasSingleBean(RecentEvents.class);
            assertThat(webEndpoint(context)).isNotNull();
        });
    }

    @Test
    void theEndpointDoesNotExistWhenItIsNotExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(TaskloopEndpoint.class)
                .doesNotHaveBean(TaskloopEndpointWebExtension.class));
    }

    @Test
    void theEndpointDoesNotExistWhenItsAccessIsNone() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=*", "management.endpoint.taskloop.access=none")
                .run(context -> assertThat(context).doesNotHaveBean(TaskloopEndpoint.class)
                        .doesNotHaveBean(TaskloopEndpointWebExtension.class));
    }

    @Test
    void theApplicationsOwnEndpointBeanWins() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=taskloop").withUserConfiguration(OwnEndpoint.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(TaskloopEndpoint.class);
                    assertThat(context).getBean(TaskloopEndpoint.class).isSameAs(context.getBean(OwnEndpoint.class).mine);
                });
    }

    @Test
    void readingIsAllowedByDefaultAndCancellingAndControllingOnlyWithUnrestrictedAccess() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=taskloop").run(context -> assertThat(
                operations(context)).containsExactlyInAnyOrder("GET taskloop", "GET taskloop/{task}"));
        runner.withPropertyValues("management.endpoints.web.exposure.include=taskloop", "management.endpoint.taskloop.access=unrestricted")
                .run(context -> assertThat(operations(context))
                        .containsExactlyInAnyOrder("GET taskloop", "GET taskloop/{task}", "DELETE taskloop/{task}", "POST taskloop/{task}"));
        runner.withPropertyValues("management.endpoints.web.exposure.include=taskloop", "management.endpoint.taskloop.access=read-only")
                .run(context -> assertThat(operations(context)).containsExactlyInAnyOrder("GET taskloop", "GET taskloop/{task}"));
    }

    @Test
    void theHealthComponentExistsUnlessItIsSwitchedOff() {
        runner.run(context -> assertThat(context).hasSingleBean(TaskloopHealthIndicator.class).hasBean("taskloopHealthIndicator"));
        runner.withPropertyValues("management.health.taskloop.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TaskloopHealthIndicator.class));
    }

    @Test
    void theMetersAreBoundToTheApplicationsMeterRegistry() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class)).run(context -> {
                    assertThat(context).hasSingleBean(TaskloopMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find("taskloop.loop.queue.depth").tag("loop", "main").gauge()).isNotNull();
                    assertThat(registry.find("taskloop.loop.lag").tag("loop", "main").timer()).isNotNull();
                });
    }

    @Test
    void withoutAMeterRegistryThereAreNoMeters() {
        runner.run(context -> assertThat(context).doesNotHaveBean(TaskloopMetrics.class).doesNotHaveBean(MeterRegistry.class));
    }

    @Test
    void nothingIsCreatedWhenTaskloopIsSwitchedOff() {
        runner.withPropertyValues("taskloop.enabled=false", "management.endpoints.web.exposure.include=*").run(context -> assertThat(context)
                .doesNotHaveBean(LoopMonitor.class).doesNotHaveBean(TaskloopEndpoint.class).doesNotHaveBean(TaskloopHealthIndicator.class)
                .doesNotHaveBean(TaskloopMetrics.class).doesNotHaveBean(RecentEvents.class));
    }

    private static ExposableWebEndpoint webEndpoint(AssertableWebApplicationContext context) {
        return context.getBean(WebEndpointsSupplier.class).getEndpoints().stream()
                .filter(e -> e.getEndpointId().toString().equals("taskloop")).findFirst().orElse(null);
    }

    private static List<String> operations(AssertableWebApplicationContext context) {
        ExposableWebEndpoint endpoint = webEndpoint(context);
        assertThat(endpoint).as("the taskloop web endpoint").isNotNull();
        return endpoint.getOperations().stream().map(WebOperation::getRequestPredicate)
                .map(p -> p.getHttpMethod() + " " + p.getPath()).toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoint {
        TaskloopEndpoint mine;

        @Bean
        TaskloopEndpoint myTaskloopEndpoint(LoopDirectory loops, DeclaredTaskRegistry declared, LoopMonitor monitor) {
            mine = new TaskloopEndpoint(loops, declared, monitor, new RecentEvents(3), 10);
            return mine;
        }
    }
}
