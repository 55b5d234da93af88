package dev.taskloop.spring.support;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.RestartLimitExceededException;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.Strategy;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.leader.Leadership;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs declared tasks and groups on a loop and restarts them by their policies: the OTP
 * supervisor, on Taskloop tasks. A declared task is one Taskloop task that retries in place; a group
 * is a supervising task (named after the group) whose children are the group's tasks.
 *
 * <p>A singleton (a task or group with {@code singleton}) is started with its {@link Leadership.Seat}:
 * a task named {@code singleton:<name>} follows the seat's turns, starting the supervision above
 * when this replica leads the election and cancelling it (and waiting for its {@code finally}
 * blocks) when it no longer does.
 *
 * <p>Everything here runs inside tasks, so back-off delays and schedules use the loop's time, and
 * run in virtual time under a {@code TestLoop}; cron schedules read {@link Environment#clock()}.
 */
public final class Supervisor {

    private static final Log log = LogFactory.getLog(Supervisor.class);

    /**
     * What supervision needs from its surroundings.
     *
     * @param clock wall clock for cron schedules
     * @param random source of back-off jitter
     * @param observations registry for one {@code Observation} per periodic run, or {@code null}
     * @param stopping whether the application is shutting down: then nothing is restarted and
     *     periodic tasks start no new run
     */
    public record Environment(Clock clock, RandomGenerator random, ObservationRegistry observations, BooleanSupplier stopping) {

        /** An environment that is never stopping. */
        public Environment(Clock clock, RandomGenerator random, ObservationRegistry observations) {
            this(clock, random, observations, () -> false);
        }

        /** The system clock, a fresh random generator, no observations. */
        public static Environment defaults() {
            return new Environment(Clock.systemDefaultZone(), RandomGenerator.getDefault(), null);
        }
    }

    private Supervisor() {
    }

    /** Starts a declared task on {@code loop}; it restarts in place by its policy. */
    public static SupervisedTask start(EventLoop loop, TaskSpec spec, Environment env) {
        SupervisedTask st = new SupervisedTask(spec, null, loop.name());
        Task<?> t = loop.spawn(spec.name(), () -> superviseTask(st, env));
        t.onDone(Supervisor::retrieve);
        return st;
    }

    /** Starts a supervised group on {@code loop}; returns its tasks' states, in declaration order. */
    public static List<SupervisedTask> start(EventLoop loop, GroupSpec group, Environment env) {
        List<SupervisedTask> children = new ArrayList<>();
        for (TaskSpec spec : group.tasks()) {
            children.add(new SupervisedTask(spec, group.name(), loop.name()));
        }
        Task<?> t = loop.spawn(group.name(), () -> superviseGroup(group, children, env));
        t.onDone(Supervisor::retrieve);
        return List.copyOf(children);
    }

    /**
     * Starts a singleton declared task on {@code loop}: it stands by until this replica leads the
     * seat's election, runs (restarting in place by its policy) while it does, and is cancelled when it
     * no longer does.
     */
    public static SupervisedTask start(EventLoop loop, TaskSpec spec, Environment env, Leadership.Seat seat) {
        SupervisedTask st = new SupervisedTask(spec, null, loop.name());
        st.status(DeclaredTask.Status.STANDBY);
        st.seat(seat);
        Task<?> t = loop.spawn(FOLLOWER_PREFIX + spec.name(), () -> followLeadership(seat, List.of(st), spec.name(),
                () -> superviseTask(st, env), env));
        t.onDone(Supervisor::retrieve);
        return st;
    }

    /** Starts a singleton supervised group on {@code loop}; see {@link #start(EventLoop, TaskSpec, Environment, Leadership.Seat)}. */
    public static List<SupervisedTask> start(EventLoop loop, GroupSpec group, Environment env, Leadership.Seat seat) {
        List<SupervisedTask> children = new ArrayList<>();
        for (TaskSpec spec : group.tasks()) {
            SupervisedTask st = new SupervisedTask(spec, group.name(), loop.name());
            st.status(DeclaredTask.Status.STANDBY);
            st.seat(seat);
            children.add(st);
        }
        Task<?> t = loop.spawn(FOLLOWER_PREFIX + group.name(), () -> followLeadership(seat, children, group.name(),
                () -> superviseGroup(group, children, env), env));
        t.onDone(Supervisor::retrieve);
        return List.copyOf(children);
    }

    /** The name of the task that follows a singleton's leadership turns: this, then the task's or group's name. */
    public static final String FOLLOWER_PREFIX = "singleton:";

    /** The supervisor has logged a final failure; retrieving it keeps it from being reported as unobserved. */
    private static void retrieve(Task<?> t) {
        if (t.state() == Task.State.FAILED) {
            t.exception();
        }
    }

    // ------------------------------------------------------------------ a singleton

    /** The cancellation reason of a singleton whose replica lost its election. */
    static CancelReason lostReason(String election) {
        return CancelReason.of(CancelOrigins.LEADERSHIP, "this replica lost the leadership of election '" + election + "'");
    }

    /** The cancellation reason of a singleton whose replica resigns its election because it stops. */
    static CancelReason resignReason(String election) {
        return CancelReason.of(CancelOrigins.LEADERSHIP, "this replica resigns the leadership of election '" + election + "': the application is stopping");
    }

    private static void followLeadership(Leadership.Seat seat, List<SupervisedTask> units, String name,
                                         dev.taskloop.core.AsyncRunnable<Exception> supervision, Environment env) {
        Task<?> running = null;
        try {
            while (true) {
                Leadership.Turn turn = seat.next();
                if (turn == Leadership.Turn.RESIGN) {
                    return;
                }
                if (turn == Leadership.Turn.LEAD) {
                    if (running == null && !env.stopping().getAsBoolean()) {
                        units.forEach(u -> u.status(DeclaredTask.Status.STARTING));
                        running = Async.spawn(name, supervision);
                        running.onDone(Supervisor::retrieve);
                    }
                } else {
                    if (running != null) {
                        stopTerm(running, lostReason(seat.election()));
                        running = null;
                    }
                    units.forEach(u -> u.status(DeclaredTask.Status.STANDBY));
                }
            }
        } finally {
            Task<?> last = running;
            if (last != null) {
                CancelScope.shielded().run(() -> stopTerm(last, resignReason(seat.election())));
            }
            for (SupervisedTask u : units) {
                if (u.status() == DeclaredTask.Status.STANDBY || u.status() == DeclaredTask.Status.STARTING) {
                    u.status(DeclaredTask.Status.STOPPED);
                }
            }
            seat.left();
        }
    }

    /** Cancels a leadership term's supervision and waits until it (and its finally blocks) ended. */
    private static void stopTerm(Task<?> term, CancelReason reason) {
        term.cancel(reason);
        Async.gatherSettled(List.of(term));
    }

    // ------------------------------------------------------------------ a declared task

    private static void superviseTask(SupervisedTask st, Environment env) throws Exception {
        TaskSpec spec = st.spec();
        Window window = new Window(spec.intensity());
        for (int attempt = 1; ; attempt++) {
            Throwable failure = attempt(st, attempt, env);
            if (!restartDue(spec.restart(), failure) || env.stopping().getAsBoolean()) {
                st.status(failure == null ? DeclaredTask.Status.COMPLETED : DeclaredTask.Status.FAILED);
                if (failure != null) {
                    throw rethrowable(failure);
                }
                return;
            }
            int n = window.record(EventLoop.current().time());
            if (n < 0) {
                st.status(DeclaredTask.Status.FAILED);
                throw gaveUp("task '" + spec.name() + "'", spec.intensity(), failure);
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
    private static Throwable attempt(SupervisedTask st, int attempt, Environment env) {
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

    private static Throwable failed(SupervisedTask st, int attempt, Throwable e) {
        st.failed(e);
        log.warn("Task '" + st.name() + "' failed (attempt " + attempt + "): " + e, e);
        return e;
    }

    private static boolean restartDue(Restart policy, Throwable failure) {
        return policy == Restart.ALWAYS || (policy == Restart.ON_FAILURE && failure != null);
    }

    private static RestartLimitExceededException gaveUp(String what, RestartIntensity limit, Throwable last) {
        String msg = what + " failed again after " + limit.maxRestarts() + " restarts within " + limit.window()
                + "; the restart limit (maxRestarts=" + limit.maxRestarts() + ", restartWindow=" + limit.window()
                + ") is reached, so it is given up on";
        log.error(msg, last);
        return new RestartLimitExceededException(msg, last);
    }

    private static Exception rethrowable(Throwable t) {
        if (t instanceof Exception e) {
            return e;
        }
        throw (Error) t;
    }

    // ------------------------------------------------------------------ schedules

    /** A periodic task's schedule ends: the application is stopping. */
    private static final class StopSchedule extends RuntimeException {
        StopSchedule() {
            super(null, null, false, false);
        }
    }

    private static void runSchedule(SupervisedTask st, Context ctx, Environment env) throws Exception {
        try {
            runScheduleUntilStopped(st, ctx, env);
        } catch (StopSchedule stop) {
            // the application is stopping: no further run
        }
    }

    private static void runScheduleUntilStopped(SupervisedTask st, Context ctx, Environment env) throws Exception {
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

    private static void run(TaskSpec spec, Context ctx, Environment env) throws Exception {
        if (env.stopping().getAsBoolean()) {
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

    // ------------------------------------------------------------------ groups

    private static void superviseGroup(GroupSpec group, List<SupervisedTask> children, Environment env) throws Exception {
        int n = children.size();
        Task<?>[] running = new Task<?>[n];
        int[] attempts = new int[n];
        Window window = new Window(group.intensity());
        try {
            for (int i = 0; i < n; i++) {
                running[i] = spawnChild(children.get(i), ++attempts[i], env);
            }
            while (true) {
                List<Task<?>> live = new ArrayList<>();
                for (Task<?> t : running) {
                    if (t != null) {
                        live.add(t);
                    }
                }
                if (live.isEmpty()) {
                    return;
                }
                Task<?> ended = Async.waitFirst(live);
                int i = indexOf(running, ended);
                running[i] = null;
                SupervisedTask st = children.get(i);
                if (ended.state() == Task.State.CANCELLED) {
                    st.status(DeclaredTask.Status.STOPPED); // an operator stopped it: not restarted
                    continue;
                }
                Throwable failure = ended.state() == Task.State.FAILED ? ended.exception() : null;
                if (!restartDue(st.spec().restart(), failure) || env.stopping().getAsBoolean()) {
                    st.status(failure == null ? DeclaredTask.Status.COMPLETED : DeclaredTask.Status.FAILED);
                    continue;
                }
                int k = window.record(EventLoop.current().time());
                if (k < 0) {
                    st.status(DeclaredTask.Status.FAILED);
                    stopAll(running, children);
                    throw gaveUp("supervised group '" + group.name() + "' (task '" + st.name() + "')", group.intensity(), failure);
                }
                List<Integer> restart = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    boolean alive = running[j] != null;
                    boolean affected = j == i
                            || (group.strategy() == Strategy.ONE_FOR_ALL && alive)
                            || (group.strategy() == Strategy.REST_FOR_ONE && alive && j > i);
                    if (affected) {
                        restart.add(j);
                    }
                }
                List<Task<?>> toStop = new ArrayList<>();
                for (int j : restart) {
                    children.get(j).status(DeclaredTask.Status.BACKING_OFF);
                    if (running[j] != null) {
                        running[j].cancel(CancelReason.of(CancelOrigins.SUPERVISOR, "supervised group '" + group.name()
                                + "' restarts it with task '" + st.name() + "' (" + group.strategy() + ")"));
                        toStop.add(running[j]);
                        running[j] = null;
                    }
                }
                Async.gatherSettled(toStop);
                for (int j : restart) {
                    children.get(j).status(DeclaredTask.Status.BACKING_OFF); // their attempts said STOPPED as they ended
                }
                st.restarted();
                Duration delay = st.spec().backoff().delay(k, env.random());
                log.info("Supervised group '" + group.name() + "' restarts " + names(children, restart) + " in "
                        + delay.toMillis() + " ms (" + group.strategy() + ", after task '" + st.name() + "' "
                        + (failure == null ? "returned" : "failed") + ")");
                Async.sleep(delay);
                for (int j : restart) {
                    running[j] = spawnChild(children.get(j), ++attempts[j], env);
                }
            }
        } finally {
            CancelScope.shielded().run(() -> stopAll(running, children));
            for (SupervisedTask st : children) {
                if (st.status() == DeclaredTask.Status.BACKING_OFF) {
                    st.status(DeclaredTask.Status.STOPPED); // the group stopped while they waited to restart
                }
            }
        }
    }

    private static Task<?> spawnChild(SupervisedTask st, int attempt, Environment env) {
        return Async.spawn(st.name(), () -> {
            Throwable failure = attempt(st, attempt, env);
            if (failure != null) {
                throw rethrowable(failure);
            }
        });
    }

    private static void stopAll(Task<?>[] running, List<SupervisedTask> children) {
        List<Task<?>> live = new ArrayList<>();
        for (int j = 0; j < running.length; j++) {
            if (running[j] != null) {
                running[j].cancel(CancelReason.of(CancelOrigins.SUPERVISOR, "its supervised group stopped"));
                live.add(running[j]);
                children.get(j).status(DeclaredTask.Status.STOPPED);
                running[j] = null;
            }
        }
        Async.gatherSettled(live);
    }

    private static int indexOf(Task<?>[] running, Task<?> t) {
        for (int i = 0; i < running.length; i++) {
            if (running[i] == t) {
                return i;
            }
        }
        throw new IllegalStateException("not a child: " + t);
    }

    private static List<String> names(List<SupervisedTask> children, List<Integer> idx) {
        return idx.stream().map(i -> children.get(i).name()).toList();
    }

    /** Restarts within the sliding window: OTP's intensity check. */
    private static final class Window {
        private final RestartIntensity limit;
        private final ArrayDeque<Long> times = new ArrayDeque<>();

        Window(RestartIntensity limit) {
            this.limit = limit;
        }

        /** Records a restart at {@code now}; returns how many fall in the window including it, or -1 if over the limit. */
        int record(long now) {
            long from = now - limit.window().toNanos();
            while (!times.isEmpty() && times.peekFirst() <= from) {
                times.pollFirst();
            }
            if (times.size() >= limit.maxRestarts()) {
                return -1;
            }
            times.addLast(now);
            return times.size();
        }
    }

    /** The {@link TaskContext} of one attempt. */
    private static final class Context implements TaskContext {
        private final SupervisedTask st;
        private final Task<?> task;
        private final int attempt;
        long run;

        Context(SupervisedTask st, Task<?> task, int attempt) {
            this.st = st;
            this.task = Objects.requireNonNull(task);
            this.attempt = attempt;
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
    }
}
