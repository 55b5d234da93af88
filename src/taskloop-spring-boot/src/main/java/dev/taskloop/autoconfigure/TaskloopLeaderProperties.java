package dev.taskloop.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Leader election for singleton tasks ({@code @BackgroundTask(singleton = ...)}): which
 * coordination elects the replica that runs them, and how fast leadership moves
 * ({@code taskloop.leader.*}). The timings mean what they mean in Kubernetes' client-go (whose
 * defaults they are). Validated when bound ({@link TaskloopPropertiesValidator}).
 *
 * @since 0.1.0
 */
@ConfigurationProperties("taskloop.leader")
public class TaskloopLeaderProperties implements Validator {

    /**
     * Coordination that elects the leader: "jdbc" (a lock row in the application's
     * database, through Spring Integration's JdbcLockRegistry), "kubernetes" (a
     * coordination.k8s.io Lease, through the fabric8 client), "none" (no coordination: every
     * replica leads; development and single-replica deployments only), or "auto": the one
     * available (spring-integration-jdbc and a DataSource; the fabric8 client inside Kubernetes
     * or as a bean), and a startup failure naming the choices when singletons are declared
     * and there is none, or more than one.
     */
    private Backend backend = Backend.AUTO;

    /**
     * This replica's identity in the elections (the Lease holder). Default: the POD_NAME
     * environment variable (the downward API), else HOSTNAME, else the host name.
     */
    private @Nullable String identity;

    /**
     * How long a lease stays valid after its last renewal: another replica takes over a
     * leader that died without giving up after at most this (plus one retry period).
     */
    private Duration leaseDuration = Duration.ofSeconds(15);

    /**
     * How long the leader keeps trying to renew its lease before it stops leading by itself
     * (its singletons are cancelled). Shorter than the lease duration: the difference is the
     * time its singletons have to end before another replica may start them.
     */
    private Duration renewDeadline = Duration.ofSeconds(10);

    /** How often the leader renews its lease and the other replicas try to acquire it. */
    private Duration retryPeriod = Duration.ofSeconds(2);

    private final Jdbc jdbc = new Jdbc();

    private final Kubernetes kubernetes = new Kubernetes();

    /** The coordination that elects the leader of singleton tasks. */
    public enum Backend {
        /** The backend available on the classpath and in the context; a failure if none or several. */
        AUTO,
        /** A lock row in the application's database (Spring Integration's JdbcLockRegistry). */
        JDBC,
        /** A coordination.k8s.io Lease (the fabric8 client's LeaderElector). */
        KUBERNETES,
        /** No coordination: this replica leads every election. */
        NONE
    }

    public Backend getBackend() {
        return backend;
    }

    public void setBackend(Backend backend) {
        this.backend = backend;
    }

    public @Nullable String getIdentity() {
        return identity;
    }

    public void setIdentity(@Nullable String identity) {
        this.identity = identity;
    }

    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public Duration getRenewDeadline() {
        return renewDeadline;
    }

    public void setRenewDeadline(Duration renewDeadline) {
        this.renewDeadline = renewDeadline;
    }

    public Duration getRetryPeriod() {
        return retryPeriod;
    }

    public void setRetryPeriod(Duration retryPeriod) {
        this.retryPeriod = retryPeriod;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Kubernetes getKubernetes() {
        return kubernetes;
    }

    /** The JDBC backend. */
    public static class Jdbc {

        /**
         * Prefix of Spring Integration's lock table, which the application creates (Flyway,
         * Liquibase, or Spring Integration's schema-*.sql): the table is <prefix>LOCK.
         */
        private String tablePrefix = "INT_";

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }
    }

    /** The Kubernetes Lease backend. */
    public static class Kubernetes {

        /**
         * Namespace of the Leases. Default: the POD_NAMESPACE environment variable, else the
         * client's namespace (in a pod, the pod's own).
         */
        private @Nullable String namespace;

        /**
         * Prepended to the election name to make the Lease name, so that applications sharing a
         * namespace do not share elections (the Helm chart sets "<release>-").
         */
        private String leaseNamePrefix = "";

        public @Nullable String getNamespace() {
            return namespace;
        }

        public void setNamespace(@Nullable String namespace) {
            this.namespace = namespace;
        }

        public String getLeaseNamePrefix() {
            return leaseNamePrefix;
        }

        public void setLeaseNamePrefix(String leaseNamePrefix) {
            this.leaseNamePrefix = leaseNamePrefix;
        }
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return TaskloopLeaderProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        TaskloopPropertiesValidator.validate((TaskloopLeaderProperties) target, errors);
    }
}
