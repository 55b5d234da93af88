package dev.taskloop.spring.support;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The supervision of a {@code @SupervisedGroup}: the supervising task spawns one child task per
 * attempt of each of the group's tasks, in declaration order, waits for the first to end, and
 * restarts what the group's {@link Strategy} says (cancelling the others it restarts first), after
 * the ended task's back-off, within the group's restart intensity. Past the intensity, or when the
 * supervising task is cancelled, every child is cancelled and waited for.
 *
 * <p>Runs inside the supervising task; not thread-safe, and needs none.
 */
final class GroupSupervision {

    private static final Log log = LogFactory.getLog(GroupSupervision.class);

    private GroupSupervision() {
    }

    /** Supervises {@code group}, whose tasks' states are {@code children} (in declaration order), in the current task. */
    static void supervise(GroupSpec group, List<SupervisedTask> children, Supervisor.Environment env) throws Exception {
        int n = children.size();
        @Nullable Task<?>[] running = new Task<?>[n];
        int[] attempts = new int[n];
        RestartWindow window = new RestartWindow(group.intensity());
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
                if (!TaskSupervision.restartDue(st.spec().restart(), failure) || env.isStopping()) {
                    st.status(failure == null ? DeclaredTask.Status.COMPLETED : DeclaredTask.Status.FAILED);
                    TaskSupervision.logIfFatal(log, "Task '" + st.name() + "' of supervised group '" + group.name() + "'", failure);
                    continue;
                }
                int k = window.record(EventLoop.current().time());
                if (k < 0) {
                    st.status(DeclaredTask.Status.FAILED);
                    stopAll(running, children);
                    throw window.exceeded("supervised group '" + group.name() + "' (task '" + st.name() + "')", failure);
                }
                List<Integer> restart = affected(group.strategy(), running, i);
                List<Task<?>> toStop = new ArrayList<>();
                for (int j : restart) {
                    children.get(j).status(DeclaredTask.Status.BACKING_OFF);
                    Task<?> r = running[j];
                    if (r != null) {
                        r.cancel(CancelReason.of(CancelOrigins.SUPERVISOR, "supervised group '" + group.name()
                                + "' restarts it with task '" + st.name() + "' (" + group.strategy() + ")"));
                        toStop.add(r);
                        running[j] = null;
                    }
                }
                Async.gatherSettled(toStop);
                for (int j : restart) {
                    children.get(j).status(DeclaredTask.Status.BACKING_OFF); // their attempts said STOPPED as they ended
                }
                st.restarted();
                Duration delay = st.spec().backoff().delay(k, env.random());
                String restarting = "Supervised group '" + group.name() + "' restarts " + names(children, restart) + " in "
                        + delay.toMillis() + " ms (" + group.strategy() + ", after task '" + st.name() + "' "
                        + (failure == null ? "returned" : "failed") + ")";
                if (failure != null && st.failureReports(env.reportInterval()).inBurst(EventLoop.current().time())) {
                    log.debug(restarting); // the failure was counted into the task's next summary line
                } else {
                    log.info(restarting);
                }
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

    /** The children that restart when child {@code i} has to (it has ended already): OTP's strategies. */
    private static List<Integer> affected(Strategy strategy, @Nullable Task<?>[] running, int i) {
        List<Integer> restart = new ArrayList<>();
        for (int j = 0; j < running.length; j++) {
            boolean alive = running[j] != null;
            boolean affected = j == i
                    || (strategy == Strategy.ONE_FOR_ALL && alive)
                    || (strategy == Strategy.REST_FOR_ONE && alive && j > i);
            if (affected) {
                restart.add(j);
            }
        }
        return restart;
    }

    private static Task<?> spawnChild(SupervisedTask st, int attempt, Supervisor.Environment env) {
        return Async.spawn(st.name(), () -> {
            Throwable failure = TaskSupervision.attempt(st, attempt, env);
            if (failure != null) {
                throw TaskSupervision.rethrowable(failure);
            }
        });
    }

    private static void stopAll(@Nullable Task<?>[] running, List<SupervisedTask> children) {
        List<Task<?>> live = new ArrayList<>();
        for (int j = 0; j < running.length; j++) {
            Task<?> r = running[j];
            if (r != null) {
                r.cancel(CancelReason.of(CancelOrigins.SUPERVISOR, "its supervised group stopped"));
                live.add(r);
                children.get(j).status(DeclaredTask.Status.STOPPED);
                running[j] = null;
            }
        }
        Async.gatherSettled(live);
    }

    private static int indexOf(@Nullable Task<?>[] running, Task<?> t) {
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
}
