package dev.taskloop.autoconfigure.actuate;

import dev.taskloop.actuate.endpoint.TaskloopEndpoint;
import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.spring.support.LoopMonitor;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code taskloop} Actuator endpoint (read-only by default;
 * {@code management.endpoint.taskloop.access=unrestricted} allows cancelling and operating declared
 * tasks) and its web extension, when Actuator is on the classpath, Taskloop is on, and the endpoint is
 * available (exposed and not switched off). Backs off when the application defines its own
 * {@link TaskloopEndpoint}. The dashboard page beside it is a management context configuration
 * ({@link TaskloopDashboardManagementContextConfiguration}), so that it follows Actuator onto its own port.
 *
 * <p>The endpoint's availability is checked by the imported configuration, not here: its condition
 * lives in Actuator, so it may only be looked at once Actuator is known to be on the classpath.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TaskloopAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(LoopMonitor.class)
@Import(EndpointConfiguration.class)
public final class TaskloopEndpointAutoConfiguration {
}
