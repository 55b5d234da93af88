package dev.taskloop.spring;

import dev.taskloop.core.Task;
import org.jspecify.annotations.Nullable;

/**
 * A declared task ({@link BackgroundTask}, group members included) as its supervisor sees it: a
 * read-only handle, the same object for the whole life of the application. What the {@code taskloop}
 * endpoint, the health component and the meters show of a declared task comes from here.
 *
 * <h2>States</h2>
 * <pre>
 *   STARTING --first attempt runs--> RUNNING --ends, restart due--> BACKING_OFF --delay--> RUNNING
 *                                       |                               |
 *                                       +--ends, no restart--> COMPLETED or FAILED (final)
 *                                       +--too many restarts--> FAILED (final, given up)
 *                                       +--cancelled (shutdown, operator, group)--> STOPPED (final)
 * </pre>
 *
 * A singleton ({@code singleton = ...}) starts in {@code STANDBY} and waits there while another
 * replica leads its election; when this replica becomes the leader it goes through the states above
 * (from {@code STARTING}), and when it stops leading it is cancelled and returns to {@code STANDBY}
 * from whichever state it is in. Within one leadership term the final states are final; the next
 * term starts it again. At shutdown a waiting singleton becomes {@code STOPPED}.
 * <pre>
 *   STANDBY --leads--> STARTING --> ... --leadership lost--> STANDBY --application stops--> STOPPED
 * </pre>
 * A shard of a sharded task ({@link #shard()}) follows the same states, with "leads" meaning "this
 * replica holds the shard".
 *
 * <h2>Thread-safety</h2>
 * Every method may be called from any thread and returns at once. Each value is current when read,
 * but two calls may see two moments: read {@link #status()} and {@link #task()} of a task that is
 * restarting and the task may belong to the attempt before the status.
 *
 * <h2>Pitfalls</h2>
 * {@link #task()} is the task of the current <em>or last</em> attempt: it may have ended. A standalone
 * declared task retries in place (one Taskloop task for all its attempts, which ends only when the
 * declared task does); a group member gets a new task per attempt. A task spawned ad hoc with the
 * same name is not a declared task: only the tasks of its attempts are.
 *
 * @since 0.1.0
 */
public interface DeclaredTask {

    /** Where a declared task is in its life; see the class documentation. */
    enum Status { STARTING, RUNNING, BACKING_OFF, COMPLETED, FAILED, STOPPED, STANDBY }

    /** The declared name, unique in the application. */
    String name();

    /** The supervised group it belongs to, or {@code null} for a standalone task. */
    @Nullable String group();

    /** The name of the loop it runs on. */
    String loop();

    /** When it runs: once (it loops by itself), or periodically. */
    Schedule schedule();

    /** Whether its failure for good makes the application unhealthy ({@code critical = true}). */
    boolean isCritical();

    /** Where it is in its life now. */
    Status status();

    /** How many times it has been restarted. */
    int restarts();

    /** The last exception an attempt ended with, or {@code null}. */
    @Nullable Throwable lastFailure();

    /** The Taskloop task of the current (or last) attempt, or {@code null} before the first; see Pitfalls. */
    @Nullable Task<?> task();

    /** Whether it said it started ({@link TaskContext#started()}), or does not need to ({@code awaitStarted = false}). */
    boolean isStarted();

    /** The leader election it runs under (a singleton task, or a task of a singleton group), or {@code null}. */
    @Nullable String election();

    /** For a singleton: whether this replica leads its election now; {@code null} for a task that runs on every replica. */
    @Nullable Boolean isLeader();

    /**
     * For one shard of a sharded task (or of a task of a sharded group): which one; {@code null} for a
     * task that is not sharded. Its {@link #election()} is the sharded election, and {@link #isLeader()}
     * says whether this replica holds the shard now.
     */
    default TaskContext.@Nullable Shard shard() {
        return null;
    }

    /**
     * The fencing token of this replica's current (or last) term of a singleton or shard, or {@code null}
     * for a task that runs on every replica, before its first term, or when the backend gives none.
     */
    default @Nullable Long fencingToken() {
        return null;
    }

    /** Whether it has failed for good ({@link Status#FAILED}). */
    default boolean hasFailed() {
        return status() == Status.FAILED;
    }
}
