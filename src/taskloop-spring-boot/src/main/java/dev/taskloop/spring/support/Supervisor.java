package dev.taskloop.spring.support;

import dev.taskloop.core.AsyncRunnable;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.leader.Leadership;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Runs declared tasks and groups on a loop and restarts them by their policies: the OTP supervisor,
 * on Taskloop tasks. Three kinds of supervision, one class each:
 * <ul>
 *   <li>{@link TaskSupervision}: a declared task is one Taskloop task that retries in place, attempt
 *       after attempt, each attempt running its {@link dev.taskloop.spring.Schedule schedule};</li>
 *   <li>{@link GroupSupervision}: a group is a supervising task (named after the group) whose children
 *       are its tasks' attempts, restarted together by the group's strategy;</li>
 *   <li>{@link SingletonFollower}: a singleton (a task or group with {@code singleton}) is started
 *       with its {@link Leadership.Seat}: a task named {@code singleton:<name>} follows the seat's
 *       turns, starting one of the supervisions above when this replica leads the election and
 *       cancelling it (and waiting for its {@code finally} blocks) when it no longer does. Each shard
 *       of a sharded task or group is such a unit too, following its shard's seat in a task named
 *       {@code shard:<name>-<index>}.</li>
 * </ul>
 *
 * <p>Everything here runs inside tasks, so back-off delays and schedules use the loop's time, and
 * run in virtual time under a {@code TestLoop}; cron schedules read {@link Environment#clock()}.
 *
 * @since 0.1.0
 */
public final class Supervisor {

    /**
     * What supervision needs from its surroundings.
     *
     * @param clock wall clock for cron schedules
     * @param random source of back-off jitter
     * @param observations registry for one {@code Observation} per periodic run, or {@code null}
     * @param stopping whether the application is shutting down: then nothing is restarted and
     *     periodic tasks start no new run
     * @param reportInterval {@code taskloop.report-interval}: a task's repeated failures are logged
     *     the first with its stack, then one summary line per interval; {@code 0}: each in full
     */
    public record Environment(Clock clock, RandomGenerator random, @Nullable ObservationRegistry observations, BooleanSupplier stopping,
                              Duration reportInterval) {

        /** With the default report interval (1 min). */
        public Environment(Clock clock, RandomGenerator random, @Nullable ObservationRegistry observations, BooleanSupplier stopping) {
            this(clock, random, observations, stopping, EventLoop.DEFAULT_REPORT_INTERVAL);
        }

        /** An environment that is never stopping. */
        public Environment(Clock clock, RandomGenerator random, @Nullable ObservationRegistry observations) {
            this(clock, random, observations, () -> false);
        }

        /** The system clock, a fresh random generator, no observations. */
        public static Environment defaults() {
            return new Environment(Clock.systemDefaultZone(), RandomGenerator.getDefault(), null);
        }

        /** Whether the application is shutting down. */
        boolean isStopping() {
            return stopping.getAsBoolean();
        }
    }

    /** The name of the task that follows a singleton's leadership turns: this, then the task's or group's name. */
    public static final String FOLLOWER_PREFIX = "singleton:";

    /** The name of the task that follows a shard's turns: this, then the shard's name ({@code <name>-<index>}). */
    public static final String SHARD_FOLLOWER_PREFIX = "shard:";

    private Supervisor() {
    }

    /** Starts a declared task on {@code loop}; it restarts in place by its policy. */
    public static SupervisedTask start(EventLoop loop, TaskSpec spec, Environment env) {
        SupervisedTask st = new SupervisedTask(spec, null, loop.name());
        SupervisionUnit unit = new SupervisionUnit(loop, spec.name(), () -> TaskSupervision.supervise(st, env), List.of(st));
        st.operated(env, unit);
        unit.start();
        return st;
    }

    /** Starts a supervised group on {@code loop}; returns its tasks' states, in declaration order. */
    public static List<SupervisedTask> start(EventLoop loop, GroupSpec group, Environment env) {
        List<SupervisedTask> children = children(loop, group, null);
        SupervisionUnit unit = new SupervisionUnit(loop, group.name(), () -> GroupSupervision.supervise(group, children, env), children);
        children.forEach(c -> c.operated(env, unit));
        unit.start();
        return children;
    }

    /**
     * Starts a singleton declared task on {@code loop}: it stands by until this replica leads the
     * seat's election, runs (restarting in place by its policy) while it does, and is cancelled when it
     * no longer does. With a shard's seat ({@link Leadership#joinShards}) and the shard's spec (named
     * {@code <name>-<index>}), the same for one shard of a sharded task.
     */
    public static SupervisedTask start(EventLoop loop, TaskSpec spec, Environment env, Leadership.Seat seat) {
        SupervisedTask st = new SupervisedTask(spec, null, loop.name());
        standBy(st, seat);
        st.operated(env, null);
        spawn(loop, follower(seat) + spec.name(), () -> SingletonFollower.follow(seat, List.of(st), spec.name(),
                () -> TaskSupervision.supervise(st, env), env));
        return st;
    }

    /** Starts a singleton supervised group on {@code loop}; see {@link #start(EventLoop, TaskSpec, Environment, Leadership.Seat)}. */
    public static List<SupervisedTask> start(EventLoop loop, GroupSpec group, Environment env, Leadership.Seat seat) {
        List<SupervisedTask> children = children(loop, group, seat);
        children.forEach(c -> c.operated(env, null));
        spawn(loop, follower(seat) + group.name(), () -> SingletonFollower.follow(seat, children, group.name(),
                () -> GroupSupervision.supervise(group, children, env), env));
        return children;
    }

    private static List<SupervisedTask> children(EventLoop loop, GroupSpec group, Leadership.@Nullable Seat seat) {
        List<SupervisedTask> children = new ArrayList<>();
        for (TaskSpec spec : group.tasks()) {
            SupervisedTask st = new SupervisedTask(spec, group.name(), loop.name());
            if (seat != null) {
                standBy(st, seat);
            }
            children.add(st);
        }
        return List.copyOf(children);
    }

    private static String follower(Leadership.Seat seat) {
        return seat.shard() < 0 ? FOLLOWER_PREFIX : SHARD_FOLLOWER_PREFIX;
    }

    private static void standBy(SupervisedTask st, Leadership.Seat seat) {
        st.status(DeclaredTask.Status.STANDBY);
        st.seat(seat);
    }

    private static void spawn(EventLoop loop, String name, AsyncRunnable<Exception> supervision) {
        loop.spawn(name, supervision).onDone(Supervisor::retrieve);
    }

    /** The supervisor has logged a final failure; retrieving it keeps it from being reported as unobserved. */
    static void retrieve(Task<?> t) {
        if (t.state() == Task.State.FAILED) {
            t.exception();
        }
    }
}
