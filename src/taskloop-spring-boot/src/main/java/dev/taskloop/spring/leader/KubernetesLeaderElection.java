package dev.taskloop.spring.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Leader election on Kubernetes Leases ({@code taskloop.leader.backend=kubernetes}): the fabric8
 * client's {@code LeaderElector} on a {@code coordination.k8s.io/v1} Lease named
 * {@code <lease-name-prefix><election>} in the pod's namespace, holder identity the pod name. The same
 * algorithm as client-go's: the leader renews every retry period and stops leading when it could not
 * renew within the renew deadline; another replica takes the lease once it has not been renewed for
 * the lease duration. Stopping releases the lease, so another replica takes over at its next try.
 *
 * <p>A grant's fencing token is the Lease's {@code leaseTransitions} plus 1, as the leader wrote it:
 * the LeaderElector adds 1 with every change of holder. Sharded elections ({@link #startSharded}) keep
 * one Lease per shard and one per replica (see {@code KubernetesShardLeases}), labelled
 * {@code taskloop.dev/election=<election>}, and need {@code delete} and {@code list} on leases too.
 *
 * <p>The pods need RBAC on {@code leases} (get, list, watch, create, update, patch, delete) and a
 * service-account token: the Helm chart renders both when {@code leaderElection.backend=kubernetes}.
 * Expiry is judged by comparing the lease's {@code renewTime} (the leader's clock) with the reader's
 * clock: skew between nodes shortens or lengthens the lease by as much.
 *
 * @since 0.1.0
 */
public final class KubernetesLeaderElection implements LeaderElection, AutoCloseable {

    private static final Log log = LogFactory.getLog(KubernetesLeaderElection.class);

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final Supplier<KubernetesClient> clientSupplier;
    private final boolean ownsClient;
    private final @Nullable String namespace;
    private final String leaseNamePrefix;
    private final LeaseTimings timings;
    private final String identity;
    private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();
    private final ShardCampaigns sharded = new ShardCampaigns();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("taskloop-leader-kubernetes").factory());
    private @Nullable KubernetesClient client;

    /**
     * @param client the client, made on the first {@link #start} (e.g. {@code new KubernetesClientBuilder().build()})
     * @param ownsClient whether {@link #close} closes the client
     * @param namespace the namespace of the Leases; {@code null} for the client's (in a pod: the pod's)
     * @param leaseNamePrefix prepended to the election name to make the Lease name (e.g. the release name and a dash)
     */
    public KubernetesLeaderElection(Supplier<KubernetesClient> client, boolean ownsClient, @Nullable String namespace,
                                    @Nullable String leaseNamePrefix,
                                    LeaseTimings timings, String identity) {
        this.clientSupplier = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.namespace = namespace == null || namespace.isBlank() ? null : namespace;
        this.leaseNamePrefix = leaseNamePrefix == null ? "" : leaseNamePrefix;
        this.timings = Objects.requireNonNull(timings, "timings");
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("a Kubernetes leader election needs an identity (the pod name): set POD_NAME from the"
                    + " downward API (the Helm chart does) or taskloop.leader.identity");
        }
        this.identity = identity;
    }

    @Override
    public String backend() {
        return "kubernetes";
    }

    @Override
    public String identity() {
        return identity;
    }

    /** The name of the Lease of an election. */
    public String leaseName(String election) {
        return leaseNamePrefix + election;
    }

    @Override
    public void start(String election, Listener listener) {
        String lease = leaseName(election);
        if (lease.length() > 253 || !DNS_SUBDOMAIN.matcher(lease).matches()) {
            throw new IllegalArgumentException("the Lease name '" + lease + "' (taskloop.leader.kubernetes.lease-name-prefix + election '"
                    + election + "') is not a valid Kubernetes object name: lower-case letters, digits, '-' and '.', at most 253");
        }
        Campaign c;
        synchronized (this) {
            if (campaigns.containsKey(election) || sharded.has(election)) {
                throw new IllegalStateException("leader election '" + election + "' is already started");
            }
            KubernetesClient k = client();
            c = new Campaign(election, k, namespace(k), lease, new LeaseCampaign(election, "kubernetes", listener, timings.renewDeadline(), scheduler));
            campaigns.put(election, c);
        }
        c.run();
    }

    /**
     * Campaigns for the shards of {@code election}: a {@link ShardCampaign} over the Leases
     * {@code <lease-name-prefix><election>-<index>} (see the class documentation), on a thread of its own.
     */
    @Override
    public void startSharded(String election, int shards, ShardListener listener) {
        int longest = ShardNames.longest(leaseNamePrefix, election, shards);
        String sample = leaseName(ShardNames.member(election, identity));
        if (longest > ShardNames.LEASE_NAME_LIMIT || !DNS_SUBDOMAIN.matcher(sample).matches()) {
            throw new IllegalArgumentException("the Leases of sharded election '" + election + "' (taskloop.leader.kubernetes.lease-name-prefix"
                    + " + election + '-member-' + 16 hex digits, e.g. '" + sample + "', " + longest + " characters) are not valid Kubernetes"
                    + " object names: lower-case letters, digits, '-' and '.', at most " + ShardNames.LEASE_NAME_LIMIT);
        }
        synchronized (this) {
            if (campaigns.containsKey(election) || sharded.has(election)) {
                throw new IllegalStateException("leader election '" + election + "' is already started");
            }
            KubernetesClient k = client();
            sharded.start(election, new ShardCampaign(election, shards, "kubernetes", new KubernetesShardLeases(k, namespace(k), leaseNamePrefix,
                    election, shards, identity, timings.leaseDuration()), timings, listener, scheduler));
        }
    }

    @Override
    public void shardStoodBy(String election, int shard) {
        sharded.stoodBy(election, shard);
    }

    @Override
    public void stop(String election) {
        if (sharded.stop(election)) {
            return;
        }
        Campaign c = campaigns.remove(election);
        if (c != null) {
            c.stop();
        }
    }

    /** Stops every election (releasing the leases held), and closes the client if this made it. */
    @Override
    public void close() {
        for (String election : List.copyOf(campaigns.keySet())) {
            stop(election);
        }
        sharded.stopAll();
        scheduler.shutdownNow();
        synchronized (this) {
            if (ownsClient && client != null) {
                client.close();
            }
        }
    }

    private String namespace(KubernetesClient k) {
        String ns = namespace != null ? namespace : k.getNamespace();
        if (ns == null || ns.isBlank()) {
            throw new IllegalStateException("taskloop.leader.backend=kubernetes cannot tell the namespace of its Leases: set"
                    + " taskloop.leader.kubernetes.namespace, or POD_NAMESPACE from the downward API (the Helm chart does)");
        }
        return ns;
    }

    private synchronized KubernetesClient client() {
        if (client == null) {
            client = clientSupplier.get();
        }
        return client;
    }

    /** One election: a fabric8 {@code LeaderElector} at a time, a new one after each lost leadership. */
    private final class Campaign {
        private final String election;
        private final KubernetesClient client;
        private final String namespace;
        private final String lease;
        private final LeaseCampaign state;
        private volatile boolean stopped;
        private @Nullable CompletableFuture<?> elector;

        Campaign(String election, KubernetesClient client, String namespace, String lease, LeaseCampaign state) {
            this.election = election;
            this.client = client;
            this.namespace = namespace;
            this.lease = lease;
            this.state = state;
        }

        synchronized void run() {
            if (stopped) {
                return;
            }
            LeaderCallbacks callbacks = new LeaderCallbacks(state::granted, state::revoked, leader -> log.debug(
                    "Lease " + namespace + "/" + lease + " is held by " + leader));
            LeaderElectionConfig config = new LeaderElectionConfig(new RenewalRecording(new LeaseLock(namespace, lease, identity), state),
                    timings.leaseDuration(), timings.renewDeadline(), timings.retryPeriod(), callbacks, true, election);
            CompletableFuture<?> f = client.leaderElector().withConfig(config).build().start();
            elector = f;
            f.whenComplete((v, e) -> {
                state.revoked();
                if (e != null && !f.isCancelled()) {
                    log.warn("Leader election '" + election + "' (Lease " + namespace + "/" + lease + ") ended with " + e
                            + "; campaigning again", e);
                }
                if (!stopped) { // lost the leadership (or failed): campaign again after a retry period
                    scheduler.schedule(this::run, timings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        }

        void stop() {
            CompletableFuture<?> f;
            synchronized (this) {
                stopped = true;
                f = elector;
            }
            if (f != null) {
                // fabric8 releases the Lease (releaseOnCancel) in cancel(); bounded, since its calls retry with back-off
                Thread release = Thread.ofVirtual().name("taskloop-leader-release-" + election).start(() -> f.cancel(true));
                try {
                    if (!release.join(timings.renewDeadline())) {
                        log.warn("Leader election '" + election + "': the Lease " + namespace + "/" + lease + " could not be released within "
                                + timings.renewDeadline() + "; it expires by itself after the lease duration (" + timings.leaseDuration() + ")");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            state.revoked();
        }
    }

    /** The Lease lock, telling the campaign of every successful write that makes or keeps this replica the holder. */
    private record RenewalRecording(Lock delegate, LeaseCampaign campaign) implements Lock {
        @Override
        public LeaderElectionRecord get(KubernetesClient client) {
            return delegate.get(client);
        }

        @Override
        public void create(KubernetesClient client, LeaderElectionRecord record) {
            delegate.create(client, record);
            recorded(record);
        }

        @Override
        public void update(KubernetesClient client, LeaderElectionRecord record) {
            delegate.update(client, record);
            recorded(record);
        }

        @Override
        public String identity() {
            return delegate.identity();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        /** A write that makes or keeps this replica the holder: the fencing token is the transitions it wrote, plus 1. */
        private void recorded(LeaderElectionRecord record) {
            if (Objects.equals(record.getHolderIdentity(), delegate.identity())) {
                campaign.renewed(record.getLeaderTransitions() + 1L);
            }
        }
    }
}
