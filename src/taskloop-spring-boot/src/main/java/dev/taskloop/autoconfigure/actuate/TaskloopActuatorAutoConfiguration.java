package dev.taskloop.autoconfigure.actuate;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.spring.support.LoopMonitor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of Taskloop's Actuator integration: the {@code taskloop} endpoint (read-only
 * by default; {@code management.endpoint.taskloop.access=unrestricted} allows cancelling), the
 * {@code taskloop} health component, and the {@code taskloop.*} Micrometer meters. Each part is
 * there only when its Spring Boot module is on the classpath, and backs off when the application
 * defines its own bean of that type.
 */
@AutoConfiguration(after = TaskloopAutoConfiguration.class)
@ConditionalOnBean(LoopMonitor.class)
@Import({RecentEventsConfiguration.class, EndpointConfiguration.class, HealthConfiguration.class, MetricsConfiguration.class})
public final class TaskloopActuatorAutoConfiguration {
}
