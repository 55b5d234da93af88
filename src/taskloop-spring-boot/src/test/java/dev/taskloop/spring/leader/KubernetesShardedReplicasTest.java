package dev.taskloop.spring.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardedReplicasContract} on the Kubernetes Lease backend, against the fabric8 mock API server
 * in CRUD mode (it keeps the Leases, checks each update's resourceVersion, and answers label-selected
 * lists), Leases {@code orders-tenant-poller-<i>} in namespace {@code shop}.
 */
class KubernetesShardedReplicasTest extends ShardedReplicasContract {

    private static MockApiServer server;

    @BeforeAll
    static void startServer() {
        server = new MockApiServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void freshServer() {
        server.reset();
        KubernetesLeaderElectionTest.requests.clear();
    }

    @Override
    String backend() {
        return "kubernetes";
    }

    @Override
    int upstreamPort() {
        return server.port();
    }

    @Override
    Replica start(String name, StallingProxy proxy) {
        return Replica.startSharded(name, KubernetesLeaderElectionTest.KubernetesBackend.class, Map.of("taskloop.leader.backend", "kubernetes",
                "test.api-port", proxy.port(), "taskloop.leader.kubernetes.lease-name-prefix", "orders-"));
    }

    @Test
    void theShardsAreLeasesNamedAfterTheElectionEachHeldByTheReplicaThatRunsIt() {
        join("replica-a");
        join("replica-b");
        awaitSettled(live(), java.time.Duration.ofSeconds(30));

        List<Lease> leases = server.admin().leases().inNamespace("shop").withLabel("taskloop.dev/election", "tenant-poller").list().getItems();
        Map<String, String> holders = new HashMap<>();
        for (Lease l : leases) {
            holders.put(l.getMetadata().getName(), l.getSpec().getHolderIdentity());
        }
        for (int i = 0; i < SHARDS; i++) {
            String holder = holders.get("orders-tenant-poller-" + i);
            assertThat(holder).as("Lease orders-tenant-poller-%d", i).isIn("replica-a", "replica-b");
            assertThat(replicas.get(holder).shards()).contains(i);
        }
        assertThat(holders).containsEntry("orders-" + ShardNames.member("tenant-poller", "replica-a"), "replica-a")
                .containsEntry("orders-" + ShardNames.member("tenant-poller", "replica-b"), "replica-b")
                .hasSize(SHARDS + 2);
        checkRuns();
    }
}
