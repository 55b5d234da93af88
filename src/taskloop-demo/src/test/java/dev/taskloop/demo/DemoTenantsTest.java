package dev.taskloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The demo's sharded task, as the chart's leader-election example turns it on
 * ({@code demo.tenants.shards}), on one replica with no coordination: it holds every shard, so it
 * polls every tenant once, each with its shard's fencing token.
 */
@SpringBootTest(properties = {"demo.tenants.shards=12", "taskloop.leader.backend=none"})
class DemoTenantsTest {

    @Autowired
    DemoTenants tenants;

    @Autowired
    DeclaredTaskRegistry declared;

    @Test
    void everyShardRunsOnTheOnlyReplicaAndTogetherThePollsCoverEveryTenantOnce() {
        Awaitility.await("every tenant polled").atMost(Duration.ofSeconds(20)).until(() -> tenants.lastPolls().size() == 100);

        assertThat(tenants.lastPolls().keySet()).containsExactlyInAnyOrderElementsOf(DemoTenants.TENANTS);
        assertThat(tenants.lastPolls().values()).as("the tokens of the shards' first terms").containsOnly(1L);
        assertThat(declared.shardedElections()).containsEntry("tenant-poller", 12);
        assertThat(declared.shardsOf("tenant-poller")).hasSize(12).extracting(DeclaredTask::isLeader).containsOnly(true);
    }
}
