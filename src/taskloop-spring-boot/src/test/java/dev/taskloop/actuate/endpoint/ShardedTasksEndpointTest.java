package dev.taskloop.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.actuate.endpoint.TaskloopEndpoint.DeclaredDescriptor;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint.ShardDescriptor;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint.ShardedDescriptor;
import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopEndpointAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.leader.ManualLeaderElection;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the endpoint shows of a sharded task: the shards this replica holds, and each shard as a declared task. */
class ShardedTasksEndpointTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class, TaskloopEndpointAutoConfiguration.class))
            .withUserConfiguration(Tasks.class)
            .withPropertyValues("management.endpoints.web.exposure.include=taskloop", "taskloop.shutdown.exit-zero-on-sigterm=false");

    @Configuration(proxyBeanMethods = false)
    static class Tasks {
        @Bean
        Poller poller() {
            return new Poller();
        }

        @Bean
        ManualLeaderElection manualLeaderElection() {
            return new ManualLeaderElection();
        }
    }

    static class Poller {
        @BackgroundTask(name = "tenant-poller", shards = "4")
        void poll() {
            Async.sleep(Duration.ofDays(1));
        }
    }

    @Test
    void theEndpointListsTheShardsThisReplicaHoldsAndShowsEachShardWithItsIndexAndToken() {
        runner.run(context -> {
            ManualLeaderElection election = context.getBean(ManualLeaderElection.class);
            TaskloopEndpoint endpoint = context.getBean(TaskloopEndpoint.class);
            assertThat(endpoint.taskloop().sharded()).containsExactly(new ShardedDescriptor("tenant-poller", 4, List.of(), 0, 0, 0));

            election.grantShard("tenant-poller", 3, 12);
            election.grantShard("tenant-poller", 1, 7);
            election.grantShard("tenant-poller", 2, 5);
            election.revokeShard("tenant-poller", 2, true);
            Awaitility.await("shards 1 and 3 run").atMost(Duration.ofSeconds(10)).until(() -> endpoint.taskloop().declared().stream()
                    .filter(d -> d.status().equals("RUNNING")).count() == 2);

            TaskloopEndpoint.TaskloopDescriptor all = endpoint.taskloop();
            assertThat(all.sharded()).containsExactly(new ShardedDescriptor("tenant-poller", 4, List.of(1, 3), 3, 0, 1));
            assertThat(all.declared()).extracting(DeclaredDescriptor::name)
                    .containsExactly("tenant-poller-0", "tenant-poller-1", "tenant-poller-2", "tenant-poller-3");
            DeclaredDescriptor one = all.declared().get(1);
            assertThat(one.status()).isEqualTo("RUNNING");
            assertThat(one.singleton()).isEqualTo("tenant-poller");
            assertThat(one.leader()).isTrue();
            assertThat(one.shard()).isEqualTo(new ShardDescriptor(1, 4));
            assertThat(one.fencingToken()).isEqualTo(7);
            DeclaredDescriptor zero = all.declared().getFirst();
            assertThat(zero.status()).isEqualTo("STANDBY");
            assertThat(zero.leader()).isFalse();
            assertThat(zero.fencingToken()).isNull();
            assertThat(endpoint.task("tenant-poller-3").declared().shard()).isEqualTo(new ShardDescriptor(3, 4));
            assertThat(endpoint.task("tenant-poller")).as("the declaration is no task (404); its shards are").isNull();
        });
    }
}
