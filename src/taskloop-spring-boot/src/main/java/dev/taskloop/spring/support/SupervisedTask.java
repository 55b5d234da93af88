package dev.taskloop.spring.support;

import dev.taskloop.core.Task;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Schedule;
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
    private volatile @Nullable DeclaredTaskRegistry registry;

    SupervisedTask(TaskSpec spec, @Nullable String group, String loop) {
        this.spec = spec;
        this.group = group;
        this.loop = loop;
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

    void seat(Leadership.Seat s) {
        seat = s;
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
