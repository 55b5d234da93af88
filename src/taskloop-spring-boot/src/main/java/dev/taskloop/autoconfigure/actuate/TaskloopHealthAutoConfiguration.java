package dev.taskloop.autoconfigure.actuate;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.spring.support.LoopMonitor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code taskloop} health component, when Spring Boot's health support is on
 * the classpath, Taskloop is on, and {@code management.health.taskloop.enabled} is not {@code false}.
 * Backs off when the application defines its own bean named {@code taskloopHealthIndicator}.
 *
 * <p>{@code management.health.taskloop.enabled} is checked by the imported configuration: its
 * condition lives in Spring Boot's health module, looked at only once that is on the classpath.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TaskloopAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(LoopMonitor.class)
@Import(HealthConfiguration.class)
public final class TaskloopHealthAutoConfiguration {
}
