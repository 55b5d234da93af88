package dev.taskloop.spring.support;

import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
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
 * Attempts are also what a {@link GroupSupervision} runs in its children.
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
            if (!restartDue(spec.restart(), failure) || env.isStopping()) {
                st.status(failure == null ? DeclaredTask.Status.COMPLETED : DeclaredTask.Status.FAILED);
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
            log.info("Restarting task '" + spec.name() + "' in " + delay.toMillis() + " ms (restart " + n + " within "
                    + spec.intensity().window() + ", limit " + spec.intensity().maxRestarts() + ")");
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
        st.running(me);
        try {
            runSchedule(st, new Context(st, me, attempt), env);
            return null;
        } catch (CancellationException c) {
            if (me.isCancelRequested()) {
                st.status(DeclaredTask.Status.STOPPED);
                throw c;
            }
            return failed(st, attempt, c); // a cancelled future it awaited, not a stop request
        } catch (Throwable e) {
            return failed(st, attempt, e);
        }
    }

    /** Whether {@code policy} restarts a task that ended with {@code failure} ({@code null}: it returned). */
    static boolean restartDue(Restart policy, @Nullable Throwable failure) {
        return policy == Restart.ALWAYS || (policy == Restart.ON_FAILURE && failure != null);
    }

    /** {@code t} to rethrow from a task body: an exception as it is; an error is thrown from here. */
    static Exception rethrowable(Throwable t) {
        if (t instanceof Exception e) {
            return e;
        }
        throw (Error) t;
    }

    private static Throwable failed(SupervisedTask st, int attempt, Throwable e) {
        st.failed(e);
        log.warn("Task '" + st.name() + "' failed (attempt " + attempt + "): " + e, e);
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
        TaskSpec spec = st.spec();
        switch (spec.schedule()) {
            case Schedule.Continuous c -> spec.body().run(ctx);
            case Schedule.Periodic p -> {
                Schedule.Runs runs = p.runs(EventLoop.current()::time, env.clock());
                for (Duration wait = runs.untilNext(); wait != null; wait = runs.untilNext()) {
                    Async.sleep(wait);
                    runs.starting();
                    run(spec, ctx, env);
                }
                if (p instanceof Schedule.Cron c) {
                    log.info("Cron task '" + spec.name() + "' has no further run for '" + c.source() + "'");
                }
            }
        }
    }

    /** One run of a periodic task, as an {@code Observation} when there is a registry. */
    private static void run(TaskSpec spec, Context ctx, Supervisor.Environment env) throws Exception {
        if (env.isStopping()) {
            throw new StopSchedule();
        }
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
