package dev.taskloop.spring.support;

import dev.taskloop.core.AsyncRunnable;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.spring.DeclaredTask;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Taskloop task that supervises a standalone declared task or a supervised group (not a
 * singleton, whose terms its follower starts), and how to start it again once it has ended:
 * {@link DeclaredTask#restart()}. Each start runs the supervision afresh: attempt 1, a new restart window.
 *
 * <pre>  NEW --start()--> RUNNING --ends--> ENDED --restart()--> RUNNING ...</pre>
 *
 * <p>Thread-safety: {@link #start()} and {@link #restart()} hold its monitor; any thread.
 */
final class SupervisionUnit {

    private final EventLoop loop;
    private final String name;
    private final AsyncRunnable<Exception> supervision;
    private final List<SupervisedTask> members;
    private @Nullable Task<?> task;

    /**
     * @param name the supervising task's name: the task's or the group's
     * @param members the declared tasks it supervises, which a restart marks {@code STARTING}
     */
    SupervisionUnit(EventLoop loop, String name, AsyncRunnable<Exception> supervision, List<SupervisedTask> members) {
        this.loop = loop;
        this.name = name;
        this.supervision = supervision;
        this.members = List.copyOf(members);
    }

    synchronized void start() {
        Task<?> t = loop.spawn(name, supervision);
        t.onDone(Supervisor::retrieve);
        task = t;
    }

    /** Starts it again if it has ended; {@code false} if it still runs. */
    synchronized boolean restart() {
        Task<?> t = task;
        if (t != null && !t.isDone()) {
            return false;
        }
        members.forEach(m -> m.status(DeclaredTask.Status.STARTING)); // no supervision writes them: it has ended
        start();
        return true;
    }
}
