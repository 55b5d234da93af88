package dev.taskloop.spring.support;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.RepeatedReports;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.TaskContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The supervision of one declared task: attempts in the supervising task itself, restarted in place
 * by the task's restart policy after its back-off, within its restart intensity; and one attempt,
 * which runs the task's schedule (the method once, or one run per slot of a periodic schedule).
 * Attempts are also what a {@link GroupSupervision} runs in its children. Within an attempt, the
 * requests of operators ({@link TaskControl}: pause, resume, one run now, a new schedule) are acted on
 * at its await points, and each execution (a periodic run, or the attempt of a task that runs once
 * per attempt) is recorded there.
 *
 * <p>Runs inside the supervising task; not thread-safe, and needs none.
 */
final class TaskSupervision {

    private static final Log log = LogFactory.getLog(TaskSupervision.class);

    private TaskSupervision() {
    }

    /** Supervises {@code st} in the current task until it ends for good. */
    static void supervise(SupervisedTask st, Supervisor.Environment env) throws Exception {
        TaskSpec spec = st.spec();
        RestartWindow window = new RestartWindow(spec.intensity());
        for (int attempt = 1; ; attempt++) {
            Throwable failure = attempt(st, attempt, env);
            if (st.control().takeResumed()) { // paused and resumed: what ran since is attempt 1, its intensity afresh
                attempt = 1;
                window = new RestartWindow(spec.intensity());
            }
            if (!restartDue(spec.restart(), failure) || env.isStopping()) {
                st.status(failure == null ? DeclaredTask.Status.COMPLETED : DeclaredTask.Status.FAILED);
                logIfFatal(log, "Task '" + spec.name() + "'", failure);
                if (failure != null) {
                    throw rethrowable(failure);
                }
                return;
            }
            int n = window.record(EventLoop.current().time());
            if (n < 0) {
                st.status(DeclaredTask.Status.FAILED);
                throw window.exceeded("task '" + spec.name() + "'", failure);
            }
            st.restarted();
            st.status(DeclaredTask.Status.BACKING_OFF);
            Duration delay = spec.backoff().delay(n, env.random());
            String restarting = "Restarting task '" + spec.name() + "' in " + delay.toMillis() + " ms (restart " + n + " within "
                    + spec.intensity().window() + ", limit " + spec.intensity().maxRestarts() + ")";
            if (st.failureReports(env.reportInterval()).inBurst(EventLoop.current().time())) {
                log.debug(restarting); // its failure was counted into the next summary line
            } else {
                log.info(restarting);
            }
            try {
                Async.sleep(delay);
            } catch (CancellationException c) {
                st.status(DeclaredTask.Status.STOPPED); // stopped while waiting to restart
                throw c;
            }
        }
    }

    /**
     * Runs one attempt in the current task. Returns what it failed with, {@code null} if it returned;
     * rethrows the task's own cancellation after marking it stopped.
     */
    static @Nullable Throwable attempt(SupervisedTask st, int attempt, Supervisor.Environment env) {
        Task<?> me = Task.current();
        st.control().attemptStarting();
        st.running(me);
        try {
            runSchedule(st, new Context(st, me, attempt), env);
            return null;
        } catch (CancellationException c) {
            if (me.isCancelRequested()) {
                st.status(DeclaredTask.Status.STOPPED);
                throw c;
            }
            return failed(st, attempt, c, env); // a cancelled future it awaited, not a stop request
        } catch (Throwable e) {
            return failed(st, attempt, e, env);
        }
    }

    /** Whether {@code policy} restarts a task that ended with {@code failure} ({@code null}: it returned). */
    static boolean restartDue(Restart policy, @Nullable Throwable failure) {
        if (fatal(failure) != null) {
            return false; // the JVM's failure, not the task's: restarting would only fail again, or hide it
        }
        return policy == Restart.ALWAYS || (policy == Restart.ON_FAILURE && failure != null);
    }

    /**
     * The {@link VirtualMachineError} (out of memory, stack overflow...) that {@code failure} is or
     * was caused by, or {@code null}. Such a failure is never restarted, whatever the policy: it is
     * reported, health goes {@code DOWN}, and the JVM's own policy ({@code -XX:+ExitOnOutOfMemoryError},
     * which the chart sets) acts.
     */
    /** Logs that {@code what} (a task, or a task of a group) is not restarted because {@code failure} is a {@link VirtualMachineError}. */
    static void logIfFatal(Log log, String what, @Nullable Throwable failure) {
        VirtualMachineError vm = fatal(failure);
        if (vm != null) {
            log.error(what + " failed with " + vm + " and is not restarted: a VirtualMachineError is the JVM's failure, not the task's;"
                    + " health is DOWN, and the JVM's own policy (-XX:+ExitOnOutOfMemoryError) acts");
        }
    }

    static @Nullable VirtualMachineError fatal(@Nullable Throwable failure) {
        Throwable t = failure;
        for (int i = 0; t != null && i < 32; i++, t = t.getCause()) {
            if (t instanceof VirtualMachineError v) {
                return v;
            }
        }
        return null;
    }

    /** {@code t} to rethrow from a task body: an exception as it is; an error is thrown from here. */
    static Exception rethrowable(Throwable t) {
        if (t instanceof Exception e) {
            return e;
        }
        throw (Error) t;
    }

    private static Throwable failed(SupervisedTask st, int attempt, Throwable e, Supervisor.Environment env) {
        st.failed(e);
        String line = "Task '" + st.name() + "' failed (attempt " + attempt + "): " + e;
        RepeatedReports.Decision d = st.failureReports(env.reportInterval()).offer(EventLoop.current().time(), line);
        if (d.summary() != null) {
            log.warn(d.summary());
        }
        if (d.full()) {
            log.warn(line, e); // later ones within the report interval are counted; the endpoint keeps the last with its stack
        }
        return e;
    }

    // ------------------------------------------------------------------ schedules

    /** A periodic task's schedule ends: the application is stopping. */
    private static final class StopSchedule extends RuntimeException {
        StopSchedule() {
            super(null, null, false, false);
        }
    }

    private static void runSchedule(SupervisedTask st, Context ctx, Supervisor.Environment env) throws Exception {
        try {
            runScheduleUntilStopped(st, ctx, env);
        } catch (StopSchedule stop) {
            // the application is stopping: no further run
        }
    }

    private static void runScheduleUntilStopped(SupervisedTask st, Context ctx, Supervisor.Environment env) throws Exception {
        switch (st.schedule()) {
            case Schedule.Continuous c -> runOncePerAttempt(st, ctx, env);
            case Schedule.Periodic p -> runPeriodically(st, p, ctx, env);
        }
    }

    /**
     * The method once (the attempt), in a scope that a pause cancels; paused, it waits for its
     * resumption and runs again as attempt 1.
     */
    private static void runOncePerAttempt(SupervisedTask st, Context ctx, Supervisor.Environment env) throws Exception {
        TaskControl control = st.control();
        EventLoop loop = EventLoop.current();
        Context attempt = ctx;
        while (true) {
            CancelScope body = CancelScope.create();
            if (control.enterBody(body)) {
                Context c = attempt;
                control.started(c.attempt(), false, env.clock().instant(), loop.time());
                try {
                    body.run(() -> st.spec().body().run(c));
                } catch (Throwable e) {
                    control.leaveBody();
                    if (!body.isCancelled() || c.isCancelRequested()) {
                        control.ended(e, loop.time());
                        throw e;
                    }
                    // paused, and the body let out something other than its cancellation: it was paused all the same
                }
                control.leaveBody();
                if (!body.isCancelled()) {
                    control.ended(null, loop.time());
                    return;
                }
                control.ended(new CancellationException("paused"), loop.time());
                log.info("Task '" + st.name() + "' is paused (attempt " + c.attempt() + " was cancelled)");
            }
            st.status(DeclaredTask.Status.PAUSED);
            awaitResumption(control);
            st.status(DeclaredTask.Status.RUNNING);
            attempt = new Context(st, attempt.task, 1);
            log.info("Task '" + st.name() + "' is resumed: attempt 1");
        }
    }

    private static void awaitResumption(TaskControl control) {
        while (true) {
            CancelScope wait = CancelScope.create();
            if (!control.awaitingResume(wait)) {
                return;
            }
            wait.run(() -> control.resumption().await());
        }
    }

    /**
     * One run per slot of {@code declared} (or of the schedule an operator gave since), and the runs
     * an operator triggers; paused, none. A run under way is never cut short by an operator's request.
     */
    private static void runPeriodically(SupervisedTask st, Schedule.Periodic declared, Context ctx, Supervisor.Environment env)
            throws Exception {
        TaskSpec spec = st.spec();
        TaskControl control = st.control();
        EventLoop loop = EventLoop.current();
        Schedule.Periodic schedule = declared;
        Schedule.Runs runs = schedule.runs(loop::time, env.clock());
        Long due = due(loop, runs.untilNext());
        boolean ran = false;
        long lastStart = 0;
        long lastEnd = 0;
        while (true) {
            if (env.isStopping()) {
                throw new StopSchedule();
            }
            CancelScope wait = CancelScope.create();
            TaskControl.Plan plan = control.plan(wait, due, loop.time(), env.clock());
            switch (plan) {
                case TRIGGERED, DUE -> {
                    if (plan == TaskControl.Plan.DUE) {
                        runs.starting();
                    }
                    long start = loop.time();
                    control.started(ctx.run + 1, plan == TaskControl.Plan.TRIGGERED, env.clock().instant(), start);
                    try {
                        run(spec, ctx, env);
                    } catch (Throwable e) {
                        control.ended(e, loop.time());
                        throw e;
                    }
                    control.ended(null, loop.time());
                    ran = true;
                    lastStart = start;
                    lastEnd = loop.time();
                    if (plan == TaskControl.Plan.DUE) {
                        due = due(loop, runs.untilNext());
                    }
                }
                case WAIT -> {
                    long at = due;
                    wait.run(() -> Async.sleep(Duration.ofNanos(Math.max(0, at - loop.time()))));
                }
                case PAUSED -> {
                    st.status(DeclaredTask.Status.PAUSED);
                    wait.run(() -> control.resumption().await());
                }
                case RESUMED -> {
                    st.status(DeclaredTask.Status.RUNNING);
                    runs = schedule.runs(loop::time, env.clock()); // afresh, as at an attempt's start
                    due = due(loop, runs.untilNext());
                }
                case RESCHEDULED -> {
                    schedule = control.takeSchedule();
                    runs = continued(schedule, ran, lastStart, lastEnd, loop.time()).runs(loop::time, env.clock());
                    due = due(loop, runs.untilNext());
                    log.info("Task '" + spec.name() + "' is rescheduled: " + schedule);
                }
                case NONE -> {
                    if (schedule instanceof Schedule.Cron c) {
                        log.info("Cron task '" + spec.name() + "' has no further run for '" + c.source() + "'");
                    }
                    return;
                }
            }
        }
    }

    /** The loop time {@code wait} from now, or {@code null} for no further run. */
    private static @Nullable Long due(EventLoop loop, @Nullable Duration wait) {
        if (wait == null) {
            return null;
        }
        long now = loop.time();
        long nanos = wait.compareTo(Duration.ofDays(100 * 365)) > 0 ? Long.MAX_VALUE / 2 : wait.toNanos();
        return now + nanos;
    }

    /**
     * A new schedule as it continues from this attempt's last run (its start for a fixed rate, its end
     * for a fixed delay): its first run one new interval after it, or one interval from now before any;
     * a positive initial delay, or a cron expression, decides by itself.
     */
    static Schedule.Periodic continued(Schedule.Periodic s, boolean ran, long lastStart, long lastEnd, long now) {
        return switch (s) {
            case Schedule.FixedRate r when r.initialDelay().isZero() ->
                    new Schedule.FixedRate(r.period(), firstWait(ran, lastStart, r.period(), now), r.overrun());
            case Schedule.FixedDelay d when d.initialDelay().isZero() ->
                    new Schedule.FixedDelay(d.delay(), firstWait(ran, lastEnd, d.delay(), now));
            default -> s;
        };
    }

    private static Duration firstWait(boolean ran, long last, Duration interval, long now) {
        return ran ? Duration.ofNanos(Math.max(0, last + interval.toNanos() - now)) : interval;
    }

    /** One run of a periodic task, as an {@code Observation} when there is a registry. */
    private static void run(TaskSpec spec, Context ctx, Supervisor.Environment env) throws Exception {
        ctx.run++;
        ObservationRegistry registry = env.observations();
        if (registry == null || registry.isNoop()) {
            spec.body().run(ctx);
            return;
        }
        Observation.createNotStarted("taskloop.task.run", registry)
                .contextualName(spec.name())
                .lowCardinalityKeyValue("taskloop.task", spec.name())
                .highCardinalityKeyValue("taskloop.run", Long.toString(ctx.run))
                .observeChecked(() -> spec.body().run(ctx));
    }

    /** The {@link TaskContext} of one attempt. */
    private static final class Context implements TaskContext {
        private final SupervisedTask st;
        private final Task<?> task;
        private final int attempt;
        /** The term's: attempts start within one term, whose token the follower set before it started it. */
        private final @Nullable Long token;
        long run;

        Context(SupervisedTask st, Task<?> task, int attempt) {
            this.st = st;
            this.task = Objects.requireNonNull(task);
            this.attempt = attempt;
            this.token = st.fencingToken();
        }

        @Override
        public String name() {
            return st.name();
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public long run() {
            return Math.max(1, run);
        }

        @Override
        public boolean isCancelRequested() {
            return task.isCancelRequested();
        }

        @Override
        public void started() {
            st.markStarted();
        }

        @Override
        public Task<?> task() {
            return task;
        }

        @Override
        public Shard shard() {
            Shard s = st.shard();
            return s == null ? Shard.WHOLE : s;
        }

        @Override
        public long fencingToken() {
            if (token != null) {
                return token;
            }
            String seat = st.describeSeat();
            if (seat == null) {
                return TaskContext.super.fencingToken();
            }
            throw new IllegalStateException("task '" + name() + "' runs under " + seat + ", but its leader election backend gives no"
                    + " fencing token (it calls LeaderElection.Listener.onGranted without one); Taskloop's jdbc, kubernetes and none"
                    + " backends give one");
        }
    }
}
