package dev.taskloop.autoconfigure.actuate;

import dev.taskloop.actuate.metrics.TaskloopMetrics;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.LoopDirectory;
import dev.taskloop.spring.support.LoopMonitor;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code taskloop.*} meters, bound to the application's {@code MeterRegistry} by Spring Boot. */
class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TaskloopMetrics taskloopMetrics(LoopDirectory loops, DeclaredTaskRegistry declared, LoopMonitor monitor) {
        return new TaskloopMetrics(loops, declared, monitor);
    }

    @Bean
    static MeterFilter taskloopRunObservationDescriptions() {
        return TaskloopMetrics.describeRunObservations();
    }
}
