package dev.taskloop.spring;

import dev.taskloop.core.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A declared task ({@link BackgroundTask}, group members included) as its supervisor sees it: a
 * handle, the same object for the whole life of the application. What the {@code taskloop}
 * endpoint, the health component and the meters show of a declared task comes from here, and what
 * an operator does to it (pause, resume, one run now, a new schedule, a restart) goes through here:
 * {@link DeclaredTasks} finds the handles.
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
 * <h2>Operating it</h2>
 * <pre>
 *   RUNNING --pause()--> PAUSED --resume()--> RUNNING         (periodic: a run under way finishes first;
 *                          |                                     once per attempt: cancelled at its await point)
 *                          +--trigger() (periodic)--> one run --> PAUSED
 *   RUNNING --trigger() (periodic, no run under way)--> one run now --> RUNNING
 *   FAILED, COMPLETED or STOPPED --restart()--> STARTING --> RUNNING (attempt 1, restart intensity afresh)
 * </pre>
 * {@link #reschedule} gives a periodic task a new schedule from its next run on. Everything an
 * operator does holds on this replica and for this run of the application only: a paused or
 * rescheduled task is neither paused nor rescheduled on the other replicas, nor after a restart of the
 * application. The operations return once the request is recorded; the task acts on it at its next
 * await point, so {@link #status()} follows a moment later. When the state does not allow an
 * operation it throws {@link TaskControlException}, saying why; a singleton accepts them only on the
 * replica that leads its election.
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
    enum Status { STARTING, RUNNING, BACKING_OFF, COMPLETED, FAILED, STOPPED, STANDBY, PAUSED }

    /** How many runs {@link #recentExecutions()} keeps. */
    int RECENT_EXECUTIONS = 10;

    /**
     * How an execution went: Spring's {@code TaskExecutionOutcome.Status} (as the {@code scheduledtasks}
     * endpoint shows it), plus {@code CANCELLED}.
     */
    enum ExecutionStatus {
        /** Under way. */
        STARTED,
        /** It returned. */
        SUCCESS,
        /** It threw. */
        ERROR,
        /** It was cancelled at an await point: the application stopped, an operator paused or cancelled it, or its group restarted it. */
        CANCELLED
    }

    /**
     * One execution: a run of a periodic task, or an attempt of a task that runs once per attempt.
     *
     * @param number which one: the run number of the attempt ({@link TaskContext#run()}) for a periodic task, the attempt number otherwise
     * @param time when it started (wall clock)
     * @param status how it went, or {@code STARTED} while under way
     * @param duration how long it took (loop time), or {@code null} while under way
     * @param exception what it threw, or {@code null}
     * @param triggered whether an operator asked for it ({@link #trigger()}) rather than the schedule
     */
    record Execution(long number, Instant time, ExecutionStatus status, @Nullable Duration duration, @Nullable Throwable exception,
                     boolean triggered) {
    }

    /**
     * How many executions ended each way since the application started (all attempts counted).
     *
     * @param total executions started
     * @param succeeded executions that returned
     * @param failed executions that threw
     * @param cancelled executions cancelled at an await point
     */
    record ExecutionCounts(long total, long succeeded, long failed, long cancelled) {
    }

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

    // ------------------------------------------------------------------ executions

    /**
     * When the next run of a periodic task starts, as planned now (wall clock); {@code null} while none
     * is planned: not periodic, paused, a run under way, or not running.
     */
    @Nullable Instant nextExecution();

    /** The last execution, the one under way included; {@code null} before the first. */
    @Nullable Execution lastExecution();

    /** The last {@link #RECENT_EXECUTIONS} executions, newest first. */
    List<Execution> recentExecutions();

    /** How its executions ended so far. */
    ExecutionCounts executionCounts();

    /** Whether an operator paused it ({@link #pause}) and did not resume it yet. */
    boolean isPaused();

    /** Whether an operator gave it a schedule other than its declaration's ({@link #reschedule}). */
    boolean isRescheduled();

    // ------------------------------------------------------------------ operating

    /**
     * Pauses it until {@link #resume()}: a periodic task starts no new run (a run under way finishes);
     * a task that runs once per attempt is cancelled at its await point with {@code reason} (its
     * {@code finally} blocks run) and not restarted. Its status becomes {@link Status#PAUSED} once it
     * stopped. Pausing a paused task does nothing.
     *
     * @param reason who pauses it and why: the reason of the cancellation, with the origin {@link CancelOrigins#OPERATOR}
     * @throws TaskControlException if it has ended, is not led by this replica, or the application is stopping
     */
    void pause(String reason);

    /**
     * Resumes a paused task: a periodic task goes back to its schedule, which starts afresh as at an
     * attempt's start (its initial delay, then its rate or delay; a cron expression's next time); a task
     * that runs once per attempt starts again as attempt 1, its restart intensity afresh.
     *
     * @throws TaskControlException if it is not paused
     */
    void resume();

    /**
     * Starts one run of a periodic task now, also when paused; never while a run is under way. The
     * run planned next keeps its time (it starts right after this one if this one outlasts it).
     *
     * @throws TaskControlException if it is not periodic, a run is under way or already asked for, or it is not running
     */
    void trigger();

    /**
     * Gives a periodic task a new schedule, from its next run on, until the application stops. The next
     * run follows the last one by the new interval (fixed rate: from its start, fixed delay: from its
     * end; no run yet: from now) or comes at the expression's next time; a positive initial delay puts
     * it that long from now instead. A run under way finishes; the next attempt after a restart, a
     * {@link #resume()} and the next leadership term keep the new schedule.
     *
     * @throws IllegalArgumentException if a duration of {@code schedule} is negative, or a rate zero
     * @throws TaskControlException if it is not periodic, is not led by this replica, or the application is stopping
     */
    void reschedule(Schedule.Periodic schedule);

    /**
     * Starts a task that ended ({@link Status#FAILED} for good, {@code COMPLETED} or {@code STOPPED})
     * again, as attempt 1 with its restart intensity afresh; for a task of a supervised group, the
     * whole group, once the group has ended.
     *
     * @throws TaskControlException if it has not ended, its group still runs, it is a singleton (the next
     *     leadership term starts it again), or the application is stopping
     */
    void restart();
}
