package dev.taskloop.spring.support;

import dev.taskloop.core.CancelReason;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.RepeatedReports;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.TaskControlException;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.leader.Leadership;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The live state of one declared task: the {@link DeclaredTask} handle, written by its supervisor.
 * The states are {@link DeclaredTask}'s.
 *
 * <p>Thread-safety: reads from any thread (volatile fields); written only by the task that supervises
 * it, one write at a time (and by a {@link #restart()}, once that task has ended). Each attempt that
 * starts is told to the {@link DeclaredTaskRegistry} it is registered in, which indexes it by its
 * task's id. What operators ask, and the executions, are kept by its {@link TaskControl}, which its
 * supervision reads at its await points.
 *
 * @since 0.1.0
 */
public final class SupervisedTask implements DeclaredTask {

    private final TaskSpec spec;
    private final @Nullable String group;
    private final String loop;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile Status status = Status.STARTING;
    private volatile int restarts;
    private volatile @Nullable Throwable lastFailure;
    private volatile @Nullable Task<?> task;
    private volatile Leadership.@Nullable Seat seat;
    private volatile TaskContext.@Nullable Shard shard;
    /** The fencing token of the current (or last) leadership term; 0 before the first, or when the backend gives none. */
    private volatile long termToken;
    /** The name it was declared under: its own, or for a shard the sharded task's ({@code tenant-poller} of {@code tenant-poller-3}). */
    private volatile String declaredName;
    private volatile @Nullable DeclaredTaskRegistry registry;
    private final TaskControl control;
    private volatile Supervisor.@Nullable Environment environment;
    private volatile @Nullable SupervisionUnit unit;

    SupervisedTask(TaskSpec spec, @Nullable String group, String loop) {
        this.spec = spec;
        this.group = group;
        this.loop = loop;
        this.control = new TaskControl(spec.name(), spec.schedule());
        this.declaredName = spec.name();
    }

    /** The declaration. */
    public TaskSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public @Nullable String group() {
        return group;
    }

    @Override
    public String loop() {
        return loop;
    }

    /** The declaration's schedule, or the one an operator gave it since ({@link #reschedule}). */
    @Override
    public Schedule schedule() {
        return control.schedule();
    }

    @Override
    public boolean isCritical() {
        return spec.critical();
    }

    @Override
    public Status status() {
        return status;
    }

    @Override
    public int restarts() {
        return restarts;
    }

    @Override
    public @Nullable Throwable lastFailure() {
        return lastFailure;
    }

    @Override
    public @Nullable Task<?> task() {
        return task;
    }

    @Override
    public boolean isStarted() {
        return !spec.awaitStarted() || started.isDone();
    }

    /** Completes when it says it started (at once if it does not need to). */
    public CompletableFuture<Void> whenStarted() {
        return spec.awaitStarted() ? started.copy() : CompletableFuture.completedFuture(null);
    }

    @Override
    public @Nullable String election() {
        Leadership.Seat s = seat;
        return s == null ? null : s.election();
    }

    @Override
    public @Nullable Boolean isLeader() {
        Leadership.Seat s = seat;
        return s == null ? null : s.isLeader();
    }

    @Override
    public TaskContext.@Nullable Shard shard() {
        return shard;
    }

    @Override
    public @Nullable Long fencingToken() {
        long t = termToken;
        return t > 0 ? t : null;
    }

    /** The seat it follows; a shard's seat makes it that shard. */
    void seat(Leadership.Seat s) {
        seat = s;
        if (s.shard() >= 0) {
            shard = new TaskContext.Shard(s.shard(), s.shards());
        }
    }

    /** The name it was declared under: its own, or for a shard the sharded task's. */
    String declaredName() {
        return declaredName;
    }

    /** It is a shard of the declared task {@code name}. */
    void declaredAs(String name) {
        declaredName = name;
    }

    /** A leadership term starts, with {@code token}. */
    void term(long token) {
        termToken = token;
    }

    /** What its seat is in, for messages ({@code shard 3 of election 'tenant-poller'}), or {@code null} for a task on every replica. */
    @Nullable String describeSeat() {
        Leadership.Seat s = seat;
        return s == null ? null : s.describe();
    }

    /** Supervised in {@code env}; {@code unit} starts its supervision again ({@code null}: a singleton, whose follower does). */
    void operated(Supervisor.Environment env, @Nullable SupervisionUnit unit) {
        this.environment = env;
        this.unit = unit;
    }

    TaskControl control() {
        return control;
    }

    /** Registers it in {@code r}, which indexes its attempts from now on (the current one at once). */
    void registerIn(DeclaredTaskRegistry r) {
        registry = r;
        r.attemptStarted(this);
    }

    void markStarted() {
        started.complete(null);
    }

    /** An attempt starts, in task {@code t} (the same task again for a standalone task restarting in place). */
    void running(Task<?> t) {
        task = t;
        status = Status.RUNNING;
        DeclaredTaskRegistry r = registry;
        if (r != null) {
            r.attemptStarted(this);
        }
    }

    void status(Status s) {
        status = s;
    }

    void failed(Throwable failure) {
        lastFailure = failure;
    }

    private @Nullable RepeatedReports failureReports;

    /**
     * The log's rate limit for this task's failures and restarts ({@code taskloop.report-interval}, in the
     * loop's time, so virtual time under a TestLoop); created on first use, in the supervising task.
     */
    RepeatedReports failureReports(java.time.Duration interval) {
        RepeatedReports r = failureReports;
        if (r == null) {
            r = new RepeatedReports("Task '" + name() + "'", "failure(s) and restart(s)",
                    "logged once per taskloop.report-interval; the last failure with its stack is in the taskloop endpoint", interval);
            failureReports = r;
        }
        return r;
    }

    void restarted() {
        restarts++;
    }

    // ------------------------------------------------------------------ executions

    @Override
    public @Nullable Instant nextExecution() {
        return control.nextExecution();
    }

    @Override
    public @Nullable Execution lastExecution() {
        return control.lastExecution();
    }

    @Override
    public List<Execution> recentExecutions() {
        return control.recentExecutions();
    }

    @Override
    public ExecutionCounts executionCounts() {
        return control.counts();
    }

    @Override
    public boolean isPaused() {
        return control.isPaused();
    }

    @Override
    public boolean isRescheduled() {
        return control.isRescheduled();
    }

    // ------------------------------------------------------------------ operating

    @Override
    public void pause(String reason) {
        requireOperable("paused");
        if (hasEnded()) {
            throw new TaskControlException("task '" + name() + "' has ended (" + status + "): there is nothing to pause; restart() starts it again");
        }
        control.pause(CancelReason.of(CancelOrigins.OPERATOR, reason));
    }

    @Override
    public void resume() {
        requireOperable("resumed");
        control.resume();
    }

    @Override
    public void trigger() {
        requireOperable("triggered");
        requirePeriodic("triggered");
        Status s = status;
        if (s != Status.RUNNING && s != Status.PAUSED) {
            throw new TaskControlException("task '" + name() + "' is " + s + ", not running its schedule; a run can be triggered while it is"
                    + " RUNNING or PAUSED" + (s == Status.BACKING_OFF ? " (it runs again when its back-off ends)" : ""));
        }
        control.trigger();
    }

    @Override
    public void reschedule(Schedule.Periodic schedule) {
        requireOperable("rescheduled");
        requirePeriodic("rescheduled");
        control.reschedule(checked(schedule));
    }

    @Override
    public void restart() {
        requireOperable("restarted");
        Leadership.Seat s = seat;
        if (s != null) {
            throw new TaskControlException("task '" + name() + "' is a singleton (election '" + s.election() + "'): it stays " + status
                    + " for the rest of this replica's leadership, and the next leader starts it again; restart() is for tasks that run on"
                    + " every replica");
        }
        if (!hasEnded()) {
            throw new TaskControlException("task '" + name() + "' is " + status + ": it has not ended; restart() starts a task that ended"
                    + " (FAILED, COMPLETED or STOPPED) again");
        }
        SupervisionUnit u = unit;
        if (u == null || !u.restart()) {
            throw new TaskControlException(group == null ? "task '" + name() + "' is " + status + " but its supervision has not ended yet; try"
                    + " again in a moment" : "task '" + name() + "' belongs to supervised group '" + group + "', which still runs and restarts"
                    + " its tasks by its own policy; restart() starts the group again once it has ended");
        }
    }

    private boolean hasEnded() {
        Status s = status;
        return s == Status.COMPLETED || s == Status.FAILED || s == Status.STOPPED;
    }

    /** Refuses what a standby replica, or a stopping application, must not do. */
    private void requireOperable(String what) {
        Supervisor.Environment env = environment;
        if (env != null && env.isStopping()) {
            throw new TaskControlException("task '" + name() + "' cannot be " + what + ": the application is stopping");
        }
        Leadership.Seat s = seat;
        if (s != null && (!s.isLeader() || status == Status.STANDBY)) {
            throw new TaskControlException("task '" + name() + "' is a singleton of election '" + s.election() + "', and this replica does not"
                    + " lead it (STANDBY): it cannot be " + what + " here; send the request to the replica that leads the election");
        }
    }

    private void requirePeriodic(String what) {
        if (!(control.schedule() instanceof Schedule.Periodic)) {
            throw new TaskControlException("task '" + name() + "' runs once per attempt (it is not periodic): it cannot be " + what
                    + "; only a task with fixedRate, fixedDelay or cron can");
        }
    }

    /** {@code s}, if its durations are what {@code @BackgroundTask} allows. */
    private Schedule.Periodic checked(Schedule.Periodic s) {
        switch (s) {
            case Schedule.FixedRate r -> {
                positive("fixedRate", r.period());
                nonNegative("initialDelay", r.initialDelay());
            }
            case Schedule.FixedDelay d -> {
                nonNegative("fixedDelay", d.delay());
                nonNegative("initialDelay", d.initialDelay());
            }
            case Schedule.Cron c -> {
                // a CronExpression and a ZoneId are valid once they exist
            }
        }
        return s;
    }

    private void positive(String what, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("The new schedule of task '" + name() + "' has " + what + " " + d
                    + ", which is not positive; use a duration greater than zero");
        }
    }

    private void nonNegative(String what, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("The new schedule of task '" + name() + "' has a negative " + what + " " + d
                    + "; use a duration of zero or more");
        }
    }

    @Override
    public String toString() {
        return "SupervisedTask[" + name() + ", " + status + ", restarts=" + restarts + "]";
    }
}
