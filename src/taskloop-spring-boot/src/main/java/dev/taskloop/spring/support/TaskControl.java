package dev.taskloop.spring.support;

import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.sync.Event;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.DeclaredTask.Execution;
import dev.taskloop.spring.DeclaredTask.ExecutionStatus;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.TaskControlException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * What operators asked of one declared task (pause, resume, one run now, a new schedule) and what its
 * executions did: the state behind {@link DeclaredTask}'s operations and executions, shared between
 * the threads that ask (any) and the task that supervises it ({@link TaskSupervision}), which acts on
 * the requests at its await points.
 *
 * <h2>How a request reaches the task</h2>
 * A request records itself here, then cancels the {@link CancelScope} the supervising task waits in
 * (the wait for its next run, or for its resumption), whose edge stops that cancellation: the task
 * wakes and looks at the requests again. A pause also cancels the scope of an attempt of a task that
 * runs once per attempt, with the operator's reason. The task registers its scope and reads the
 * requests in one step ({@link #plan}, {@link #enterBody}, {@link #awaitingResume}), so a request is
 * either seen by that step or wakes the wait that follows it.
 *
 * <h2>The plan of a periodic task</h2>
 * Each time before it waits, {@link #plan} says what comes first: a triggered run, a new schedule to
 * take, the pause, the resumption after a pause (the schedule starts afresh), no further run, the
 * run that is due, or a wait until it is.
 *
 * <h2>Thread-safety</h2>
 * Every method holds this object's monitor, never across an await nor while cancelling a scope.
 */
final class TaskControl {

    /** What a periodic task does next; see the class documentation. */
    enum Plan { TRIGGERED, RESCHEDULED, PAUSED, RESUMED, NONE, DUE, WAIT }

    private static final CancelReason WAKE = CancelReason.of(CancelOrigins.OPERATOR, "woken by an operator's request");

    private final String name;
    private final Event resumption;
    private Schedule schedule;
    private boolean rescheduled;
    private Schedule.@Nullable Periodic newSchedule;
    private boolean paused;
    private boolean pausedSeen;
    private boolean resumed;
    private boolean triggerPending;
    private boolean running;
    private @Nullable CancelScope wait;
    private @Nullable CancelScope body;
    private @Nullable Instant next;
    private final ArrayDeque<Execution> recent = new ArrayDeque<>();
    private long currentStart;
    private long total;
    private long succeeded;
    private long failed;
    private long cancelled;

    TaskControl(String name, Schedule schedule) {
        this.name = name;
        this.schedule = schedule;
        this.resumption = new Event("resumption of task '" + name + "'");
    }

    // ------------------------------------------------------------------ what an operator reads

    synchronized Schedule schedule() {
        return schedule;
    }

    synchronized boolean isRescheduled() {
        return rescheduled;
    }

    synchronized boolean isPaused() {
        return paused;
    }

    synchronized @Nullable Instant nextExecution() {
        return next;
    }

    synchronized @Nullable Execution lastExecution() {
        return recent.peekFirst();
    }

    synchronized List<Execution> recentExecutions() {
        return List.copyOf(recent);
    }

    synchronized DeclaredTask.ExecutionCounts counts() {
        return new DeclaredTask.ExecutionCounts(total, succeeded, failed, cancelled);
    }

    // ------------------------------------------------------------------ what an operator asks

    /** Pauses; cancels the attempt under way (a task that runs once per attempt) with {@code reason}. */
    void pause(CancelReason reason) {
        CancelScope w;
        CancelScope b;
        synchronized (this) {
            if (paused) {
                return;
            }
            paused = true;
            w = wait;
            b = body;
        }
        if (b != null) {
            b.cancel(reason);
        }
        wake(w);
    }

    void resume() {
        CancelScope w;
        synchronized (this) {
            if (!paused) {
                throw new TaskControlException("task '" + name + "' is not paused; resume() resumes a task that pause() paused");
            }
            paused = false;
            w = wait;
        }
        wake(w);
    }

    void trigger() {
        CancelScope w;
        synchronized (this) {
            if (running) {
                Execution e = recent.peekFirst();
                throw new TaskControlException("task '" + name + "' is running " + (e == null ? "a run" : "run " + e.number()
                        + " (started at " + e.time() + ")") + "; a triggered run never overlaps a running one: trigger again when it has ended");
            }
            if (triggerPending) {
                throw new TaskControlException("task '" + name + "' has a triggered run that is about to start; trigger again when it has ended");
            }
            triggerPending = true;
            w = wait;
        }
        wake(w);
    }

    void reschedule(Schedule.Periodic s) {
        CancelScope w;
        synchronized (this) {
            schedule = s;
            newSchedule = s;
            rescheduled = true;
            w = wait;
        }
        wake(w);
    }

    private static void wake(@Nullable CancelScope w) {
        if (w != null) {
            w.cancel(WAKE);
        }
    }

    // ------------------------------------------------------------------ what the supervision does

    /** An attempt starts: what the last one left behind no longer counts (its schedule is the current one). */
    synchronized void attemptStarting() {
        newSchedule = null;
        pausedSeen = false;
        resumed = false;
        triggerPending = false;
        running = false;
        wait = null;
        body = null;
        next = null;
    }

    /**
     * What a periodic task does next; registers {@code w} as the scope to cancel when a request comes,
     * if it is to wait in it (PAUSED, WAIT), and marks a run as under way (TRIGGERED, DUE).
     *
     * @param due when the next scheduled run starts (loop time), or {@code null} if there is none
     * @param now the loop's time
     */
    synchronized Plan plan(CancelScope w, @Nullable Long due, long now, Clock clock) {
        wait = null;
        next = null;
        if (triggerPending) {
            triggerPending = false;
            running = true;
            return Plan.TRIGGERED;
        }
        if (newSchedule != null) {
            return Plan.RESCHEDULED;
        }
        if (paused) {
            pausedSeen = true;
            wait = w;
            return Plan.PAUSED;
        }
        if (pausedSeen) {
            pausedSeen = false;
            return Plan.RESUMED;
        }
        if (due == null) {
            return Plan.NONE;
        }
        if (due - now <= 0) {
            running = true;
            return Plan.DUE;
        }
        wait = w;
        next = clock.instant().plusNanos(due - now);
        return Plan.WAIT;
    }

    /** The new schedule that {@link Plan#RESCHEDULED} announced; it is taken. */
    synchronized Schedule.Periodic takeSchedule() {
        Schedule.Periodic s = newSchedule;
        if (s == null) {
            throw new IllegalStateException("task '" + name + "' has no new schedule to take");
        }
        newSchedule = null;
        return s;
    }

    /** A task that runs once per attempt is about to run its body in {@code b}; {@code false} if it is paused (and must not). */
    synchronized boolean enterBody(CancelScope b) {
        if (paused) {
            return false;
        }
        body = b;
        running = true;
        return true;
    }

    synchronized void leaveBody() {
        body = null;
    }

    /** A paused task is about to wait for its resumption in {@code w}; {@code false} if it was resumed (and must not wait). */
    synchronized boolean awaitingResume(CancelScope w) {
        wait = null;
        if (!paused) {
            resumed = true;
            return false;
        }
        wait = w;
        return true;
    }

    /** What a paused task waits on: an event nobody sets, so that only a request (or a cancellation) ends the wait. */
    Event resumption() {
        return resumption;
    }

    /** Whether a task that runs once per attempt was paused and resumed since the last call: what ran after was attempt 1. */
    synchronized boolean takeResumed() {
        boolean r = resumed;
        resumed = false;
        return r;
    }

    /** An execution starts: run {@code number} of a periodic task, or attempt {@code number}. */
    synchronized void started(long number, boolean triggered, Instant time, long loopTime) {
        running = true;
        currentStart = loopTime;
        total++;
        push(new Execution(number, time, ExecutionStatus.STARTED, null, null, triggered));
    }

    /** The execution under way ended: returned ({@code failure == null}), threw, or was cancelled. */
    synchronized void ended(@Nullable Throwable failure, long loopTime) {
        running = false;
        Execution e = recent.pollFirst();
        if (e == null) {
            return;
        }
        ExecutionStatus status = failure == null ? ExecutionStatus.SUCCESS
                : failure instanceof CancellationException ? ExecutionStatus.CANCELLED : ExecutionStatus.ERROR;
        switch (status) {
            case SUCCESS -> succeeded++;
            case CANCELLED -> cancelled++;
            default -> failed++;
        }
        recent.addFirst(new Execution(e.number(), e.time(), status, Duration.ofNanos(Math.max(0, loopTime - currentStart)),
                status == ExecutionStatus.ERROR ? failure : null, e.triggered()));
    }

    private void push(Execution e) {
        recent.addFirst(e);
        while (recent.size() > DeclaredTask.RECENT_EXECUTIONS) {
            recent.removeLast();
        }
    }
}
