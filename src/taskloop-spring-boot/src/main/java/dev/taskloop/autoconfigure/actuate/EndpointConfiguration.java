package dev.taskloop.autoconfigure.actuate;

import dev.taskloop.actuate.RecentEvents;
import dev.taskloop.actuate.endpoint.ControlFieldsAdvisor;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint;
import dev.taskloop.actuate.endpoint.TaskloopEndpointWebExtension;
import dev.taskloop.autoconfigure.TaskloopProperties;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.LoopDirectory;
import dev.taskloop.spring.support.LoopMonitor;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The {@code taskloop} endpoint, when it is available (exposed and not switched off), its web extension,
 * and the advisor that refuses control requests with fields the endpoint does not take.
 */
@ConditionalOnAvailableEndpoint(TaskloopEndpoint.class)
@Import(RecentEventsConfiguration.class)
class EndpointConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TaskloopEndpoint taskloopEndpoint(LoopDirectory loops, DeclaredTaskRegistry declared, LoopMonitor monitor, RecentEvents events,
                                      TaskloopProperties properties) {
        return new TaskloopEndpoint(loops, declared, monitor, events, properties.getEndpoint().getMaxTasks());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(TaskloopEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = TaskloopEndpoint.class, exposure = EndpointExposure.WEB)
    TaskloopEndpointWebExtension taskloopEndpointWebExtension(TaskloopEndpoint endpoint) {
        return new TaskloopEndpointWebExtension(endpoint);
    }

    @Bean
    @ConditionalOnBean(TaskloopEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = TaskloopEndpoint.class, exposure = EndpointExposure.WEB)
    ControlFieldsAdvisor taskloopControlFieldsAdvisor(TaskloopEndpoint endpoint) {
        return new ControlFieldsAdvisor(endpoint);
    }
}
