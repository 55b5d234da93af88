package dev.taskloop.spring.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A sharded election's leases as {@code coordination.k8s.io/v1} Leases in one namespace, each labelled
 * {@value #ELECTION_LABEL}{@code =<election>} so that one list request reads them all:
 * <ul>
 *   <li>shard {@code i}: the Lease {@code <prefix><election>-<i>}, holder the pod (its identity),
 *       written as client-go writes a leader's Lease ({@code acquireTime}, {@code renewTime},
 *       {@code leaseDurationSeconds}); every acquisition adds 1 to {@code leaseTransitions}, whose
 *       value plus 1 is the grant's fencing token;</li>
 *   <li>membership: the Lease {@code <prefix><election>-member-<hash of the identity>}
 *       ({@link ShardNames#member}) per replica, renewed with the same timings; those expired for a
 *       lease duration are deleted by the others, so the Leases of pods gone do not pile up.</li>
 * </ul>
 * Every write is conditional on the {@code resourceVersion} last read or written (the API server's
 * compare-and-swap), so two replicas cannot both take a shard. A Lease is expired when its
 * {@code renewTime} plus {@code leaseDurationSeconds} is before this replica's clock, as client-go
 * judges it; a released one has no holder.
 */
final class KubernetesShardLeases implements ShardLeases {

    static final String ELECTION_LABEL = "taskloop.dev/election";
    static final String ROLE_LABEL = "taskloop.dev/role";

    private final KubernetesClient client;
    private final String namespace;
    private final String prefix;
    private final String election;
    private final int shards;
    private final String identity;
    private final int leaseSeconds;
    private final String memberName;
    /** Each shard's Lease as last read or written; {@code null} when none exists (or none has been seen). */
    private final @Nullable Lease[] known;
    private @Nullable Lease member;

    KubernetesShardLeases(KubernetesClient client, String namespace, String prefix, String election, int shards, String identity,
                          Duration lease) {
        this.client = client;
        this.namespace = namespace;
        this.prefix = prefix;
        this.election = election;
        this.shards = shards;
        this.identity = identity;
        this.leaseSeconds = (int) Math.max(1, lease.toSeconds());
        this.memberName = prefix + ShardNames.member(election, identity);
        this.known = new Lease[shards];
    }

    @Override
    public String me() {
        return identity;
    }

    @Override
    public void join() {
        ZonedDateTime now = now();
        Lease m = member;
        if (m != null) {
            try {
                member = update(m, identity, now, m.getSpec().getAcquireTime(), transitions(m));
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw e;
                }
                member = null; // changed or deleted by another: read it again
            }
        }
        Lease current = client.leases().inNamespace(namespace).withName(memberName).get();
        if (current == null) {
            member = client.leases().inNamespace(namespace).resource(lease(memberName, "member", now)).create();
        } else {
            member = update(current, identity, now, now, transitions(current));
        }
    }

    @Override
    public View read() {
        ZonedDateTime now = now();
        Set<String> members = new HashSet<>();
        @Nullable String[] holders = new String[shards];
        ZonedDateTime next = null;
        for (Lease l : client.leases().inNamespace(namespace).withLabel(ELECTION_LABEL, election).list().getItems()) {
            String name = l.getMetadata().getName();
            if (!name.startsWith(prefix)) {
                continue; // another application's election of the same name
            }
            String bare = name.substring(prefix.length());
            String holder = valid(l, now) ? l.getSpec().getHolderIdentity() : null;
            if (holder != null && !holder.equals(identity)) {
                ZonedDateTime expiry = expiry(l);
                if (next == null || expiry.isBefore(next)) {
                    next = expiry;
                }
            }
            int i = ShardNames.indexOf(election, shards, bare);
            if (i >= 0) {
                known[i] = l;
                holders[i] = holder;
            } else if (ShardNames.isMember(election, bare)) {
                if (holder != null) {
                    members.add(holder);
                } else if (!name.equals(memberName) && l.getSpec().getRenewTime() != null
                        && l.getSpec().getRenewTime().plusSeconds(2L * leaseSeconds).isBefore(now)) {
                    forget(l);
                }
            }
        }
        return new View(members, holders, next == null ? null : Duration.between(now, next));
    }

    @Override
    public OptionalLong acquire(int shard) {
        ZonedDateTime now = now();
        Lease current = known[shard];
        try {
            Lease taken;
            if (current == null) {
                taken = client.leases().inNamespace(namespace).resource(lease(prefix + ShardNames.shard(election, shard), "shard", now)).create();
            } else {
                if (valid(current, now)) {
                    return OptionalLong.empty();
                }
                taken = update(current, identity, now, now, transitions(current) + 1);
            }
            known[shard] = taken;
            return OptionalLong.of(transitions(taken) + 1L);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                known[shard] = null; // another replica wrote it first: read it again at the next round
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    @Override
    public boolean renew(int shard) {
        Lease current = known[shard];
        if (current == null || !identity.equals(current.getSpec().getHolderIdentity())) {
            return false;
        }
        try {
            known[shard] = update(current, identity, now(), current.getSpec().getAcquireTime(), transitions(current));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
        // Written by someone else since: still this replica's only if the holder and the transitions are unchanged.
        Lease fresh = client.leases().inNamespace(namespace).withName(current.getMetadata().getName()).get();
        known[shard] = fresh;
        if (fresh == null || !identity.equals(fresh.getSpec().getHolderIdentity()) || transitions(fresh) != transitions(current)) {
            return false;
        }
        known[shard] = update(fresh, identity, now(), fresh.getSpec().getAcquireTime(), transitions(fresh));
        return true;
    }

    @Override
    public void release(int shard) {
        Lease current = known[shard];
        if (current == null || !identity.equals(current.getSpec().getHolderIdentity())) {
            return;
        }
        try {
            known[shard] = update(current, null, now(), current.getSpec().getAcquireTime(), transitions(current));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
            known[shard] = null; // not this replica's any more
        }
    }

    @Override
    public void leave() {
        Lease m = member;
        member = null;
        if (m != null) {
            client.leases().inNamespace(namespace).resource(m).lockResourceVersion(m.getMetadata().getResourceVersion()).delete();
        }
    }

    @Override
    public String describe(int shard) {
        return "Lease " + namespace + "/" + prefix + ShardNames.shard(election, shard);
    }

    private Lease lease(String name, String role, ZonedDateTime now) {
        return new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(ELECTION_LABEL, election).addToLabels(ROLE_LABEL, role).addToLabels("app.kubernetes.io/managed-by", "taskloop")
                .endMetadata()
                .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds(leaseSeconds).withAcquireTime(now).withRenewTime(now)
                .withLeaseTransitions(0).endSpec().build();
    }

    /** Writes {@code current} with these holder fields, conditional on its resourceVersion. */
    private Lease update(Lease current, @Nullable String holder, ZonedDateTime renew, @Nullable ZonedDateTime acquired, int transitions) {
        Lease next = new LeaseBuilder(current).editSpec().withHolderIdentity(holder).withLeaseDurationSeconds(leaseSeconds)
                .withAcquireTime(acquired == null ? renew : acquired).withRenewTime(renew).withLeaseTransitions(transitions).endSpec().build();
        return client.leases().inNamespace(namespace).resource(next).update();
    }

    /** Deletes another replica's membership Lease long expired, unless it was written since. */
    private void forget(Lease l) {
        try {
            client.leases().inNamespace(namespace).resource(l).lockResourceVersion(l.getMetadata().getResourceVersion()).delete();
        } catch (KubernetesClientException e) {
            // renewed or deleted meanwhile: nothing to do
        }
    }

    private boolean valid(Lease l, ZonedDateTime now) {
        String holder = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
        if (holder == null || holder.isEmpty() || l.getSpec().getRenewTime() == null) {
            return false;
        }
        return !expiry(l).isBefore(now);
    }

    /** When a Lease with a renewTime expires: renewTime + leaseDurationSeconds. */
    private ZonedDateTime expiry(Lease l) {
        Integer seconds = l.getSpec().getLeaseDurationSeconds();
        return l.getSpec().getRenewTime().plusSeconds(seconds == null ? leaseSeconds : seconds);
    }

    private static int transitions(Lease l) {
        Integer t = l.getSpec() == null ? null : l.getSpec().getLeaseTransitions();
        return t == null ? 0 : t;
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }
}
