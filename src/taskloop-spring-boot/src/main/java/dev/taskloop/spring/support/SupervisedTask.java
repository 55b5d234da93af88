package dev.taskloop.spring.support;

import dev.taskloop.core.Task;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.leader.Leadership;
import java.util.concurrent.CompletableFuture;

/**
 * The live state of one declared task, as its supervisor sees it; read by health, metrics and the
 * endpoint. Thread-safe reads; written by the supervising task only.
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
 */
public final class SupervisedTask {

    /** Where a declared task is in its life; see the class documentation. */
    public enum Status { STARTING, RUNNING, BACKING_OFF, COMPLETED, FAILED, STOPPED, STANDBY }

    private final TaskSpec spec;
    private final String group;
    private final String loop;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile Status status = Status.STARTING;
    private volatile int restarts;
    private volatile Throwable lastFailure;
    private volatile Task<?> task;
    private volatile Leadership.Seat seat;

    SupervisedTask(TaskSpec spec, String group, String loop) {
        this.spec = spec;
        this.group = group;
        this.loop = loop;
    }

    /** The declaration. */
    public TaskSpec spec() {
        return spec;
    }

    /** The declared name. */
    public String name() {
        return spec.name();
    }

    /** The supervised group it belongs to, or {@code null}. */
    public String group() {
        return group;
    }

    /** The name of the loop it runs on. */
    public String loop() {
        return loop;
    }

    public Status status() {
        return status;
    }

    /** How many times it has been restarted. */
    public int restarts() {
        return restarts;
    }

    /** The last exception an attempt ended with, or {@code null}. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /** The Taskloop task of the current (or last) attempt, or {@code null} before the first. */
    public Task<?> task() {
        return task;
    }

    /** Whether it said it started ({@link TaskContext#started()}), or does not need to. */
    public boolean isStarted() {
        return !spec.awaitStarted() || started.isDone();
    }

    /** Completes when it says it started (at once if it does not need to). */
    public CompletableFuture<Void> whenStarted() {
        return spec.awaitStarted() ? started.copy() : CompletableFuture.completedFuture(null);
    }

    /** The leader election it runs under (a singleton task, or a task of a singleton group), or {@code null}. */
    public String election() {
        Leadership.Seat s = seat;
        return s == null ? null : s.election();
    }

    /** For a singleton: whether this replica leads its election now; {@code null} for a task that runs on every replica. */
    public Boolean isLeader() {
        Leadership.Seat s = seat;
        return s == null ? null : s.isLeader();
    }

    /** Whether it has failed for good. */
    public boolean hasFailed() {
        return status == Status.FAILED;
    }

    void seat(Leadership.Seat s) {
        seat = s;
    }

    void markStarted() {
        started.complete(null);
    }

    void running(Task<?> t) {
        task = t;
        status = Status.RUNNING;
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
