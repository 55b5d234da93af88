package dev.taskloop.autoconfigure.actuate;

import dev.taskloop.actuate.dashboard.TaskloopDashboard;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * The dashboard page ({@link TaskloopDashboard}) at {@code <taskloop endpoint path>/ui}, wherever
 * Actuator serves its endpoints: a management context configuration, so Spring Boot loads it into
 * the management child context when Actuator has a port of its own ({@code management.server.port}),
 * and into the application's context otherwise. Only for a servlet application (Spring MVC) whose
 * {@code taskloop} endpoint is exposed over HTTP. Its handler mapping comes just before Actuator's
 * (order {@value #ORDER}), so that {@code ui} is the page on GET and not a task's name; a declared task
 * named {@code ui} is read by its id.
 *
 * @since 0.1.0
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(TaskloopEndpoint.class)
@ConditionalOnAvailableEndpoint(endpoint = TaskloopEndpoint.class, exposure = EndpointExposure.WEB)
public class TaskloopDashboardManagementContextConfiguration {

    /** One before the order of Actuator's endpoint handler mapping ({@code -100}). */
    static final int ORDER = -101;

    private static final EndpointId TASKLOOP = EndpointId.of("taskloop");

    @Bean
    SimpleUrlHandlerMapping taskloopDashboardHandlerMapping(PathMappedEndpoints endpoints, EndpointAccessResolver access) {
        boolean writable = access.accessFor(TASKLOOP, Access.READ_ONLY) == Access.UNRESTRICTED;
        return new SimpleUrlHandlerMapping(Map.of(endpoints.getPath(TASKLOOP) + TaskloopDashboard.PATH, new TaskloopDashboard(writable)),
                ORDER);
    }
}
