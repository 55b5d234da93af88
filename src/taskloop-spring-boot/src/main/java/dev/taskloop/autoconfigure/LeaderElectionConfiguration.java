package dev.taskloop.autoconfigure;

import dev.taskloop.spring.TaskDeclarationException;
import dev.taskloop.spring.leader.JdbcLeaderElection;
import dev.taskloop.spring.leader.KubernetesLeaderElection;
import dev.taskloop.spring.leader.LeaderElection;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.leader.LeaseTimings;
import dev.taskloop.spring.leader.LocalLeaderElection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Leader election for singleton and sharded tasks: the {@link LeaderElection} backend chosen by
 * {@code taskloop.leader.backend} and what is available (each backend's library is optional), and
 * the {@link Leadership} the lifecycle seats the singletons and shards in. Nothing is contacted unless a
 * singleton or a sharded task is declared; a backend that cannot be had fails the start only then, saying why.
 */
@Import({LeaderElectionConfiguration.JdbcBackend.class, LeaderElectionConfiguration.KubernetesBackend.class})
class LeaderElectionConfiguration {

    /** A backend this application could use, or why it cannot. */
    record Backend(String name, @Nullable String unavailable, Supplier<LeaderElection> factory) {
        boolean available() {
            return unavailable == null;
        }
    }

    @Bean
    @ConditionalOnMissingBean
    LeaderElection taskloopLeaderElection(TaskloopLeaderProperties leader, ObjectProvider<Backend> backends, Environment environment) {
        List<Backend> known = backends.orderedStream().sorted(java.util.Comparator.comparing(Backend::name)).toList();
        return switch (leader.getBackend()) {
            case NONE -> new LocalLeaderElection(identity(leader, environment));
            case JDBC -> chosen("jdbc", known, "add org.springframework.integration:spring-integration-jdbc and a DataSource");
            case KUBERNETES -> chosen("kubernetes", known, "add io.fabric8:kubernetes-client");
            case AUTO -> {
                List<Backend> available = known.stream().filter(Backend::available).toList();
                if (available.size() == 1) {
                    yield available.getFirst().factory().get();
                }
                yield new Unavailable(available.isEmpty()
                        ? new TaskDeclarationException("no leader election backend is available for the singleton tasks ("
                                + (known.isEmpty() ? "neither spring-integration-jdbc nor the fabric8 kubernetes-client is on the classpath"
                                : String.join("; ", known.stream().map(b -> b.name() + ": " + b.unavailable()).toList())) + ")",
                                "add org.springframework.integration:spring-integration-jdbc and a DataSource (taskloop.leader.backend=jdbc),"
                                        + " or io.fabric8:kubernetes-client in Kubernetes (taskloop.leader.backend=kubernetes); or set"
                                        + " taskloop.leader.backend=none to run the singletons on every replica (development only)")
                        : new TaskDeclarationException("taskloop.leader.backend=auto finds several leader election backends ("
                                + String.join(", ", available.stream().map(Backend::name).toList()) + ")",
                                "choose one: taskloop.leader.backend=jdbc or kubernetes"));
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    Leadership taskloopLeadership(LeaderElection taskloopLeaderElection) {
        return new Leadership(taskloopLeaderElection);
    }

    private static LeaderElection chosen(String name, List<Backend> known, String fix) {
        Backend b = known.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
        if (b == null) {
            return new Unavailable(new TaskDeclarationException("taskloop.leader.backend=" + name + ", but its library is not on the"
                    + " classpath", fix));
        }
        if (!b.available()) {
            return new Unavailable(new TaskDeclarationException("taskloop.leader.backend=" + name + ", but " + b.unavailable(), fix));
        }
        return b.factory().get();
    }

    static LeaseTimings timings(TaskloopLeaderProperties leader) {
        return new LeaseTimings(leader.getLeaseDuration(), leader.getRenewDeadline(), leader.getRetryPeriod());
    }

    /** taskloop.leader.identity, else POD_NAME, else HOSTNAME, else the host name. */
    static String identity(TaskloopLeaderProperties leader, Environment environment) {
        for (String candidate : new String[] {leader.getIdentity(), environment.getProperty("POD_NAME"), environment.getProperty("HOSTNAME")}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** spring-integration-jdbc is there: the backend, if the context has one DataSource. */
    @ConditionalOnClass(name = "org.springframework.integration.jdbc.lock.JdbcLockRegistry")
    static class JdbcBackend {

        @Bean
        Backend taskloopJdbcLeaderBackend(ObjectProvider<DataSource> dataSources, TaskloopLeaderProperties leader, Environment environment) {
            DataSource dataSource = dataSources.getIfUnique();
            return new Backend("jdbc", dataSource == null ? "there is no DataSource bean (or several, none @Primary)" : null,
                    () -> new JdbcLeaderElection(dataSource, leader.getJdbc().getTablePrefix(), timings(leader), identity(leader, environment)));
        }
    }

    /** The fabric8 client is there: the backend, if there is a KubernetesClient bean or the application runs in Kubernetes. */
    @ConditionalOnClass(name = "io.fabric8.kubernetes.client.KubernetesClient")
    static class KubernetesBackend {

        @Bean
        Backend taskloopKubernetesLeaderBackend(ObjectProvider<KubernetesClient> clients, TaskloopLeaderProperties leader,
                                                Environment environment) {
            KubernetesClient bean = clients.getIfUnique();
            boolean inCluster = environment.getProperty("KUBERNETES_SERVICE_HOST") != null;
            String namespace = leader.getKubernetes().getNamespace() != null ? leader.getKubernetes().getNamespace()
                    : environment.getProperty("POD_NAMESPACE");
            return new Backend("kubernetes", bean != null || inCluster ? null
                    : "the application does not run in Kubernetes (no KUBERNETES_SERVICE_HOST) and there is no KubernetesClient bean",
                    () -> new KubernetesLeaderElection(bean != null ? () -> bean : () -> new KubernetesClientBuilder().build(), bean == null,
                            namespace, leader.getKubernetes().getLeaseNamePrefix(), timings(leader), identity(leader, environment)));
        }
    }

    /** A backend that cannot be had: starting an election fails with why, and what to do. */
    private record Unavailable(TaskDeclarationException why) implements LeaderElection {
        @Override
        public String backend() {
            return "unavailable";
        }

        @Override
        public String identity() {
            return "";
        }

        @Override
        public void start(String election, Listener listener) {
            throw new TaskDeclarationException("Singleton tasks are declared (election '" + election + "') and cannot run: " + why.description(),
                    why.action());
        }

        @Override
        public void startSharded(String election, int shards, ShardListener listener) {
            throw new TaskDeclarationException("Sharded tasks are declared (election '" + election + "', " + shards + " shards) and cannot run: "
                    + why.description(), why.action());
        }

        @Override
        public void stop(String election) {
        }
    }
}
