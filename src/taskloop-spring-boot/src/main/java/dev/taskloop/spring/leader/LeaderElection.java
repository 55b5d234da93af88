package dev.taskloop.spring.leader;

/**
 * Leader election among the replicas of an application, for its singleton tasks
 * ({@code @BackgroundTask(singleton = ...)}, {@code @SupervisedGroup(singleton = ...)}): the SPI that
 * a coordination backend implements. Taskloop ships three: {@link JdbcLeaderElection} (a lock row in
 * the application's database, through Spring Integration), {@link KubernetesLeaderElection} (a
 * {@code coordination.k8s.io} Lease, through the fabric8 client) and {@link LocalLeaderElection}
 * (this replica always leads: development and single-replica deployments).
 *
 * <p>One election per name: {@link #start} campaigns for it, and the backend calls the listener's
 * {@link Listener#onGranted onGranted} when this replica becomes the leader and
 * {@link Listener#onRevoked onRevoked} when it is no longer sure to be (it lost the lock or the
 * lease, or could not renew it within the renew deadline). Callbacks may come on any thread and must
 * return quickly; a backend may repeat one (the caller ignores a repeat). After losing, the backend
 * keeps campaigning until {@link #stop} is called.
 *
 * <p>Sharded tasks ({@code shards = ...}) are spread over the replicas by {@link #startSharded}: one
 * lease per shard ({@link ShardNames#shard}), each replica aiming at its fair share. A backend that
 * does not implement it cannot run them (the default refuses, naming the backend).
 *
 * <p>Every grant carries a <em>fencing token</em>: a number that grows with every change of holder
 * (a Lease's {@code leaseTransitions}, a counter in the database), which a task can make its writes
 * conditional on (README, "Fencing tokens").
 *
 * <p>Implementations are thread-safe. Nothing is contacted before the first {@link #start}, so a
 * backend bean costs nothing in an application without singleton tasks.
 *
 * @since 0.1.0
 */
public interface LeaderElection {

    /** The backend's name, for messages: {@code jdbc}, {@code kubernetes}, {@code none}... */
    String backend();

    /** Who this replica is in the elections (the pod name, the host name), for messages. */
    String identity();

    /**
     * Starts campaigning for the election {@code election}; returns at once. Fails (with a message
     * saying what to fix) if the backend cannot be used at all, such as a missing lock table.
     *
     * @throws IllegalStateException if this election is already started
     */
    void start(String election, Listener listener);

    /**
     * Stops campaigning for {@code election} and gives its leadership up if this replica holds it
     * (deleting the lock row, releasing the lease), so that another replica can take over at its
     * next retry rather than after the lease expires; {@link Listener#onRevoked} is called first if
     * this replica was the leader. Blocks until that is done (bounded by the backend's own timeouts).
     * Does nothing for an election not started.
     */
    void stop(String election);

    /**
     * Starts campaigning for the shards {@code 0 .. shards-1} of {@code election} (one lease each,
     * named {@link ShardNames#shard}); returns at once. This replica takes free shards up to its fair
     * share of the live replicas, and gives up its surplus after {@link #shardStoodBy} said its task
     * ended; {@link #stop} gives every shard up. The listener hears of each shard won and lost.
     *
     * @throws UnsupportedOperationException if the backend cannot run sharded tasks (the default)
     * @throws IllegalStateException if this election is already started
     */
    default void startSharded(String election, int shards, ShardListener listener) {
        throw new UnsupportedOperationException("the leader election backend '" + backend() + "' (" + getClass().getName()
                + ") cannot run sharded tasks (election '" + election + "', " + shards + " shards); use taskloop.leader.backend=jdbc,"
                + " kubernetes or none, or implement LeaderElection.startSharded");
    }

    /**
     * The unit running shard {@code shard} of {@code election} has stood by after
     * {@link ShardListener#onRevoked}: its task ended and its {@code finally} blocks ran, so a shard
     * this replica gives up may now be released for another replica to take. Must return quickly.
     */
    default void shardStoodBy(String election, int shard) {
    }

    /** Told about the leadership of one election. */
    interface Listener {

        /** This replica is now the leader of {@code election}. */
        void onGranted(String election);

        /** This replica is no longer the leader of {@code election} (or can no longer be sure to be). */
        void onRevoked(String election);

        /**
         * This replica is now the leader of {@code election}, with the fencing token of this grant
         * (at least 1, greater than every token an earlier holder was granted). Backends that know one
         * call this; the default forgets the token.
         */
        default void onGranted(String election, long fencingToken) {
            onGranted(election);
        }
    }

    /**
     * Told about the shards of one sharded election. Callbacks may come on any thread and must return
     * quickly; they alternate per shard.
     */
    interface ShardListener {

        /** This replica now holds {@code shard} of {@code election}, with the fencing token of this grant. */
        void onGranted(String election, int shard, long fencingToken);

        /**
         * This replica no longer holds {@code shard}, or is about to give it up: stop its task, then
         * call {@link LeaderElection#shardStoodBy}.
         *
         * @param lost {@code true} when the shard was lost (not renewed within the renew deadline, or taken
         *     over), {@code false} when this replica gives it up (rebalancing, stopping)
         */
        void onRevoked(String election, int shard, boolean lost);
    }
}
