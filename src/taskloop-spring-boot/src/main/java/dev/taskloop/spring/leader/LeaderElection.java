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

    /** Told about the leadership of one election. */
    interface Listener {

        /** This replica is now the leader of {@code election}. */
        void onGranted(String election);

        /** This replica is no longer the leader of {@code election} (or can no longer be sure to be). */
        void onRevoked(String election);
    }
}
