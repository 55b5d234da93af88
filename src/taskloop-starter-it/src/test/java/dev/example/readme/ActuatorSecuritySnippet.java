package dev.example.readme;

import dev.taskloop.actuate.endpoint.TaskloopEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

// Not a @Configuration here: compiled, never picked up by a component scan.
class ActuatorSecuritySnippet {

    // readme:snippet actuator-security
    @Bean
    SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
        return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.to(TaskloopEndpoint.class).withHttpMethod(HttpMethod.GET))
                        .hasAnyRole("TASKLOOP_OPERATOR", "TASKLOOP_VIEWER")     // the JSON and the dashboard page
                        .requestMatchers(EndpointRequest.to(TaskloopEndpoint.class)).hasRole("TASKLOOP_OPERATOR") // DELETE, POST
                        .anyRequest().denyAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint()))
                .build();
    }
    // readme:end
}
