package dev.taskloop.spring.leader;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One replica of an application with a singleton task {@code report} ({@code singleton = "*"}): a
 * Spring Boot application context of its own, with Taskloop's auto-configuration and the test's
 * backend configuration. The singleton ticks at its await points until cancelled and tells the
 * {@link Timeline} when it starts and when its {@code finally} runs.
 */
public final class Replica implements AutoCloseable {

    /** The singleton of every replica. */
    public static class Report {
        @Value("${test.replica}")
        String replica;

        @BackgroundTask(name = "report", singleton = "*", restart = Restart.ALWAYS)
        void report() {
            Timeline timeline = Timeline.current;
            timeline.started(replica);
            try {
                while (true) {
                    Async.sleep(Duration.ofMillis(20));
                }
            } finally {
                timeline.ended(replica);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(TaskloopAutoConfiguration.class)
    static class App {
        @Bean
        Report report() {
            return new Report();
        }
    }

    private final String name;
    private final ConfigurableApplicationContext context;

    private Replica(String name, ConfigurableApplicationContext context) {
        this.name = name;
        this.context = context;
    }

    /**
     * Starts replica {@code name} with the backend's configuration class and properties; the lease
     * timings are the tests' short ones unless given.
     */
    public static Replica start(String name, Class<?> backendConfiguration, Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("test.replica", name);
        all.put("taskloop.leader.identity", name);
        all.put("taskloop.leader.lease-duration", "3s");
        all.put("taskloop.leader.renew-deadline", "2s");
        all.put("taskloop.leader.retry-period", "250ms");
        all.put("taskloop.shutdown.timeout", "5s");
        all.put("spring.main.banner-mode", "off");
        all.putAll(properties);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class, backendConfiguration)
                .web(WebApplicationType.NONE).properties(all).run();
        return new Replica(name, context);
    }

    public String name() {
        return name;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** The singleton's state in this replica. */
    public DeclaredTask report() {
        return context.getBean(DeclaredTaskRegistry.class).find("report").orElseThrow();
    }

    public boolean isLeader() {
        return context.getBean(Leadership.class).isLeader("report");
    }

    @Override
    public void close() {
        context.close();
    }
}
