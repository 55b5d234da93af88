package dev.taskloop.autoconfigure.actuate;

import dev.taskloop.actuate.RecentEvents;
import dev.taskloop.actuate.health.TaskloopHealthIndicator;
import dev.taskloop.spring.support.LoopMonitor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The {@code taskloop} health component ({@code management.health.taskloop.enabled=false} turns it off). */
@ConditionalOnEnabledHealthIndicator("taskloop")
@Import(RecentEventsConfiguration.class)
class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "taskloopHealthIndicator")
    TaskloopHealthIndicator taskloopHealthIndicator(LoopMonitor monitor, RecentEvents events) {
        return new TaskloopHealthIndicator(monitor, events);
    }
}
