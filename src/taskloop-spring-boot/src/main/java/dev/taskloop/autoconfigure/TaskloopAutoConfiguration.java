package dev.taskloop.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of Taskloop: the event loops (unless the application defines its own
 * {@code EventLoop} beans), the {@code @BackgroundTask} / {@code @SupervisedGroup} processing, the
 * lifecycle that starts and stops them, the leader election of singleton tasks
 * ({@code taskloop.leader.*}), the loop monitor (liveness and readiness) and the logging MDC.
 * Off with {@code taskloop.enabled=false} (any other value than true or false stops startup).
 *
 * <p>After {@code ApplicationAvailabilityAutoConfiguration}, so that Spring Boot's availability bean
 * hears a readiness change before the loop monitor does, and the monitor's correction comes last.
 *
 * <p>What it imports is package-private and carries no {@code @Configuration}: {@code @Import} reads
 * their {@code @Bean} methods and conditions all the same, and an application whose component scan
 * covers {@code dev.taskloop} (its root package is {@code dev}) does not register them a second time.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration")
@Conditional(TaskloopEnabledCondition.class)
@EnableConfigurationProperties({TaskloopProperties.class, TaskloopLeaderProperties.class})
@Import({LoopsConfiguration.class, ApplicationLoopsConfiguration.class, LeaderElectionConfiguration.class, DeclaredTasksConfiguration.class})
public final class TaskloopAutoConfiguration {
}
