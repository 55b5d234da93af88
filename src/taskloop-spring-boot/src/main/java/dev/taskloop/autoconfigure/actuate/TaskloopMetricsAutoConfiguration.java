package dev.taskloop.autoconfigure.actuate;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.spring.support.LoopMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code taskloop.*} Micrometer meters, bound to the application's
 * {@link MeterRegistry} by Spring Boot: after Micrometer's auto-configuration, and only when there is
 * a registry and Taskloop is on. Backs off when the application defines its own
 * {@code TaskloopMetrics}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = {TaskloopAutoConfiguration.class, MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, LoopMonitor.class})
@Import(MetricsConfiguration.class)
public final class TaskloopMetricsAutoConfiguration {
}
