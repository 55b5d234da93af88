package dev.taskloop.spring.leader;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One replica of an application with a singleton task {@code report} ({@code singleton = "*"}), or
 * with a sharded task {@code tenant-poller} ({@link #startSharded}): a Spring Boot application context
 * of its own, with Taskloop's auto-configuration and the test's backend configuration. The singleton
 * ticks at its await points until cancelled and tells the {@link Timeline} when it starts (with its
 * fencing token) and when its {@code finally} runs; each shard tells the {@link ShardTimeline}.
 */
public final class Replica implements AutoCloseable {

    /** The singleton of every replica. */
    public static class Report {
        @Value("${test.replica}")
        String replica;

        @BackgroundTask(name = "report", singleton = "*", restart = Restart.ALWAYS)
        void report(TaskContext ctx) {
            Timeline timeline = Timeline.current;
            timeline.started(replica, ctx.fencingToken());
            try {
                while (true) {
                    Async.sleep(Duration.ofMillis(20));
                }
            } finally {
                timeline.ended(replica);
            }
        }
    }

    /** The sharded task of every replica started with {@link #startSharded}: {@value #SHARDED} over {@code test.shards} (16) shards. */
    public static class TenantPoller {
        @Value("${test.replica}")
        String replica;

        @BackgroundTask(name = SHARDED, shards = "${test.shards:16}", restart = Restart.ALWAYS)
        void poll(TaskContext ctx) {
            ShardTimeline timeline = ShardTimeline.current;
            int shard = ctx.shard().index();
            timeline.started(replica, shard, ctx.fencingToken());
            try {
                while (true) {
                    Async.sleep(Duration.ofMillis(20));
                }
            } finally {
                timeline.ended(replica, shard);
            }
        }
    }

    /** The sharded task's (and its election's) name. */
    public static final String SHARDED = "tenant-poller";

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(TaskloopAutoConfiguration.class)
    static class App {
        @Bean
        Report report() {
            return new Report();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(TaskloopAutoConfiguration.class)
    static class ShardedApp {
        @Bean
        TenantPoller tenantPoller() {
            return new TenantPoller();
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
        return start(name, App.class, backendConfiguration, properties);
    }

    /** Starts replica {@code name} of the application with the sharded task {@value #SHARDED}; see {@link #start}. */
    public static Replica startSharded(String name, Class<?> backendConfiguration, Map<String, Object> properties) {
        return start(name, ShardedApp.class, backendConfiguration, properties);
    }

    private static Replica start(String name, Class<?> app, Class<?> backendConfiguration, Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("test.replica", name);
        all.put("taskloop.leader.identity", name);
        all.put("taskloop.leader.lease-duration", "3s");
        all.put("taskloop.leader.renew-deadline", "2s");
        all.put("taskloop.leader.retry-period", "250ms");
        all.put("taskloop.shutdown.timeout", "5s");
        all.put("spring.main.banner-mode", "off");
        all.putAll(properties);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(app, backendConfiguration)
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

    /** The shards of {@value #SHARDED} this replica holds now. */
    public List<Integer> shards() {
        return context.getBean(Leadership.class).ownedShards(SHARDED);
    }

    /** Whether its context is still open. */
    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        context.close();
    }
}
