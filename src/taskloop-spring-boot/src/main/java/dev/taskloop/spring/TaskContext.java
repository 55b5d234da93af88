package dev.taskloop.spring;

import dev.taskloop.core.Task;

/**
 * What a {@link dev.taskloop.spring.BackgroundTask} method may take as its one
 * parameter: who it is, which attempt this is, and a way to tell readiness it has started; for a
 * sharded task, which shard it runs; for a singleton or a shard, the fencing token of its term.
 * Valid inside the task that received it.
 *
 * @since 0.1.0
 */
public interface TaskContext {

    /**
     * Which part of a sharded task's work this run is: shard {@code index} of {@code count}
     * ({@code @BackgroundTask(shards = ...)}); the same body runs once per shard this replica holds.
     * A task that is not sharded is the one shard {@link #WHOLE}, so that
     * {@code Math.floorMod(key.hashCode(), shard.count()) == shard.index()} picks its keys either way.
     *
     * @param index from 0 to {@code count - 1}
     * @param count how many shards the task has
     */
    record Shard(int index, int count) {

        /** The shard of a task that is not sharded: 0 of 1. */
        public static final Shard WHOLE = new Shard(0, 1);

        /** @throws IllegalArgumentException unless 0 &lt;= index &lt; count */
        public Shard {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("shard " + index + " of " + count + ": the index must be from 0 to count - 1, count at least 1");
            }
        }

        /** Whether {@code key} belongs to this shard: {@code Math.floorMod(key.hashCode(), count) == index}. */
        public boolean owns(Object key) {
            return Math.floorMod(key.hashCode(), count) == index;
        }
    }

    /** The declared name. */
    String name();

    /** 1 for the first run, 2 after the first restart, and so on. */
    int attempt();

    /** For a periodic task, which run this is (1, 2, ...); 1 for other tasks. */
    long run();

    /** Whether the task has been asked to stop (shutdown, an operator, its group). */
    boolean isCancelRequested();

    /**
     * Tells readiness this task has started (Trio's {@code task_status.started()}); only matters
     * with {@code awaitStarted = true}. Idempotent; a restarted task need not call it again.
     */
    void started();

    /** The Taskloop task running this attempt. */
    Task<?> task();

    /** The shard this run is of; {@link Shard#WHOLE} for a task that is not sharded. */
    default Shard shard() {
        return Shard.WHOLE;
    }

    /**
     * The fencing token of this replica's current term of a singleton or of a shard: a number that
     * grows with every change of the lease's holder (the Kubernetes Lease's {@code leaseTransitions}
     * plus 1; a counter in {@code <prefix>LOCK_FENCE} for JDBC), the same for every attempt and run of
     * the term. Make writes conditional on it, so that a replica that lost the lease but still runs
     * cannot overwrite the work of the next holder:
     * <pre>{@code
     * UPDATE tenant_cursor SET position = ?, fence = ? WHERE tenant = ? AND fence <= ?   -- 0 rows: fenced off, stop
     * }</pre>
     *
     * @throws IllegalStateException for a task that runs on every replica (it has no lease), or when the
     *     leader election backend gives no token
     */
    default long fencingToken() {
        throw new IllegalStateException("task '" + name() + "' has no fencing token: only singletons (singleton = ...) and sharded tasks"
                + " (shards = ...) run under a lease");
    }
}
