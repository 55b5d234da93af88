package dev.taskloop.spring.support;

import dev.taskloop.core.Task;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.leader.Leadership;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The live state of one declared task: the {@link DeclaredTask} handle, written by its supervisor.
 * The states are {@link DeclaredTask}'s.
 *
 * <p>Thread-safety: reads from any thread (volatile fields); written only by the task that supervises
 * it, one write at a time. Each attempt that starts is told to the {@link DeclaredTaskRegistry} it is
 * registered in, which indexes it by its task's id.
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

    SupervisedTask(TaskSpec spec, @Nullable String group, String loop) {
        this.spec = spec;
        this.group = group;
        this.loop = loop;
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

    @Override
    public Schedule schedule() {
        return spec.schedule();
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

    void restarted() {
        restarts++;
    }

    @Override
    public String toString() {
        return "SupervisedTask[" + name() + ", " + status + ", restarts=" + restarts + "]";
    }
}
