package dev.taskloop.spring.leader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.spring.DeclaredTask;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes Lease backend against the fabric8 Kubernetes mock API server in CRUD mode (it keeps
 * the Lease and checks its resourceVersion on update, as the API server does), with two replicas as
 * two application contexts, each reaching the server through its own {@link StallingProxy}. Lease
 * 3 s, renew deadline 2 s, retry period 250 ms; Leases {@code orders-<election>} in namespace {@code shop}.
 */
class KubernetesLeaderElectionTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration RENEW_DEADLINE = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofMillis(250);

    private static MockApiServer server;

    /** Requests each replica sent to the API server. */
    static final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @Configuration(proxyBeanMethods = false)
    static class KubernetesBackend {
        @Bean(destroyMethod = "close")
        KubernetesClient kubernetesClient(@Value("${test.api-port}") int port, @Value("${test.replica}") String replica) {
            AtomicInteger counter = requests.computeIfAbsent(replica, r -> new AtomicInteger());
            Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + port).withNamespace("shop")
                    .withRequestRetryBackoffLimit(0).build();
            return new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count",
                    new Interceptor() {
                        @Override
                        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                            counter.incrementAndGet();
                        }
                    })).build();
        }
    }

    @BeforeAll
    static void startServer() {
        server = new MockApiServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private StallingProxy toApiA;
    private StallingProxy toApiB;
    private Timeline timeline;
    private Replica a;
    private Replica b;

    @BeforeEach
    void fresh() {
        server.reset();
        toApiA = new StallingProxy(server.port());
        toApiB = new StallingProxy(server.port());
        timeline = Timeline.reset();
        requests.clear();
    }

    @AfterEach
    void stop() {
        toApiA.close();
        toApiB.close();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private Replica replica(String name, StallingProxy proxy) {
        return Replica.start(name, KubernetesBackend.class, Map.of("taskloop.leader.backend", "kubernetes", "test.api-port", proxy.port(),
                "taskloop.leader.kubernetes.lease-name-prefix", "orders-"));
    }

    private Lease lease() {
        return server.admin().leases().inNamespace("shop").withName("orders-report").get();
    }

    private void aLeadsAndBStandsBy() throws InterruptedException {
        a = replica("replica-a", toApiA);
        timeline.await("replica-a", "started", Duration.ofSeconds(20));
        b = replica("replica-b", toApiB);
        Timeline.awaitTrue("replica-b read the Lease 5 times", Duration.ofSeconds(10), () -> requests.get("replica-b").get() >= 5);

        assertThat(a.isLeader()).isTrue();
        assertThat(a.report().status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(b.isLeader()).isFalse();
        assertThat(b.report().status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThat(timeline.story()).containsExactly("replica-a started");
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a");
        assertThat(lease().getSpec().getLeaseDurationSeconds()).isEqualTo(3);
    }

    @Test
    void exactlyOneReplicaRunsTheSingletonAndWhenTheLeaderStopsTheOtherTakesOverAfterItsFinallyRan() throws Exception {
        aLeadsAndBStandsBy();

        a.close();
        Timeline.Event bStarted = timeline.await("replica-b", "started", LEASE.plusSeconds(5));

        Timeline.Event aFinally = timeline.await("replica-a", "finally", Duration.ZERO);
        assertThat(timeline.story()).containsExactly("replica-a started", "replica-a finally", "replica-b started");
        assertThat(timeline.maxRunning()).as("singletons running at once").isEqualTo(1);
        Duration takeover = Duration.ofNanos(bStarted.nanos() - aFinally.nanos());
        System.out.printf("Kubernetes graceful hand-over: A's finally -> B started %d ms%n", takeover.toMillis());
        assertThat(takeover).as("the stopped leader released its Lease: the other takes it at its next try, well within the lease")
                .isLessThan(LEASE);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
        assertThat(b.report().status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertTokens(timeline.await("replica-a", "started", Duration.ZERO).token(), bStarted.token());
    }

    /** The fencing tokens are the Lease's leaseTransitions plus 1, as each leader wrote it: 1 for the first, more for the next. */
    private void assertTokens(long first, long next) {
        assertThat(first).as("the first leader's token (the Lease created: leaseTransitions 0)").isEqualTo(1);
        assertThat(next).as("the next leader's token").isGreaterThan(first).isEqualTo(lease().getSpec().getLeaseTransitions() + 1L);
    }

    @Test
    void aLeaderCutOffFromTheApiServerStopsItsSingletonWithinTheRenewDeadlineAndTheOtherStartsItOnlyOnceTheLeaseExpired() throws Exception {
        aLeadsAndBStandsBy();

        long cut = System.nanoTime();
        toApiA.stall();
        Timeline.Event aFinally = timeline.await("replica-a", "finally", RENEW_DEADLINE.plusSeconds(5));
        Timeline.Event bStarted = timeline.await("replica-b", "started", LEASE.plusSeconds(5));

        Duration stopped = Duration.ofNanos(aFinally.nanos() - cut);
        Duration takeover = Duration.ofNanos(bStarted.nanos() - cut);
        System.out.printf("Kubernetes partition: A stopped after %d ms, B started after %d ms (renew deadline %d ms, lease %d ms)%n",
                stopped.toMillis(), takeover.toMillis(), RENEW_DEADLINE.toMillis(), LEASE.toMillis());
        assertThat(stopped).as("A stops by itself at its renew deadline, counted from its last renewal").isLessThanOrEqualTo(RENEW_DEADLINE.plusMillis(1000));
        assertThat(takeover).as("B takes the Lease only once it expired (lease duration after A's last renewal), at its next jittered try")
                .isGreaterThanOrEqualTo(LEASE.minus(RETRY).minusMillis(100))
                .isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(3)).plusMillis(1000));
        assertThat(timeline.story()).containsExactly("replica-a started", "replica-a finally", "replica-b started");
        assertThat(timeline.maxRunning()).isEqualTo(1);
        assertThat(a.report().status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
        assertTokens(timeline.await("replica-a", "started", Duration.ZERO).token(), bStarted.token());
    }
}
