package dev.taskloop.spring.leader;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The leases of one sharded election on one replica, as a backend keeps them: the replica's
 * membership, and one lease per shard, each valid one lease duration after its last write. What to
 * take and what to give up is {@link ShardCampaign}'s to decide; this only reads and writes.
 *
 * <p>Called from one thread (the campaign's), never concurrently; every method may block on I/O
 * and throws when the backend cannot be reached.
 */
interface ShardLeases {

    /** This replica as the leases name their holder (the JDBC backend's client id, the Lease holder identity). */
    String me();

    /** Writes (creates or renews) this replica's membership, valid one lease duration from now. */
    void join();

    /** The live members and, per shard, its valid holder ({@code null}: free or expired), as they are now. */
    View read();

    /**
     * Takes {@code shard} if it is free or expired (or this replica's), atomically: another replica
     * taking it at the same moment makes this fail.
     *
     * @return the fencing token of this grant (greater than every earlier holder's), or empty if another replica holds it
     */
    OptionalLong acquire(int shard);

    /** Extends this replica's lease on {@code shard}; {@code false} if it is no longer this replica's. */
    boolean renew(int shard);

    /** Gives {@code shard} up, so that another replica can take it at once (if it is still this replica's). */
    void release(int shard);

    /** Removes this replica's membership. */
    void leave();

    /** The lease of {@code shard}, for messages ({@code Lease shop/orders-tenant-poller-3}). */
    String describe(int shard);

    /**
     * What the leases show.
     *
     * @param members the holders of the valid membership leases
     * @param holders per shard, its holder if its lease is valid, else {@code null}
     * @param nextExpiry how long until the first of the valid leases of other replicas (memberships and
     *     shards) expires, if it is not renewed before; {@code null} if there is none
     */
    record View(Set<String> members, @Nullable String[] holders, @Nullable Duration nextExpiry) {
    }
}
