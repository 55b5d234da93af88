package dev.taskloop.core.internal;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.Task;
import dev.taskloop.core.TaskGroup;
import dev.taskloop.core.TaskGroupException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * {@link TaskGroup}, after CPython's {@code taskgroups.py}, on cancel scopes: the group's scope
 * encloses the body and is the parent of every child's scope, so cancelling it (on a failure) or
 * anything around it reaches the body and all children at once.
 *
 * <h2>States</h2>
 * <pre>
 *   NEW --run()/call()--> OPEN --body returns--> CLOSING --last child ended--> DONE
 *                           |                       |                          ^
 *                           | a child fails,        | a child fails            |
 *                           | or the body throws    |                          |
 *                           v                       v                          |
 *                         ABORTING (body and children cancelled) --------------+
 *                                   body ended, last child ended
 * </pre>
 * <table>
 *   <caption>Task group states</caption>
 *   <tr><th>{@link State}</th><th>the body</th><th>the children</th><th>{@code spawn}</th></tr>
 *   <tr><td>{@code NEW}</td><td>not started</td><td>none</td><td>throws: not running</td></tr>
 *   <tr><td>{@code OPEN}</td><td>runs</td><td>run</td><td>allowed</td></tr>
 *   <tr><td>{@code CLOSING}</td><td>returned (or ended by the group's own {@link #cancel}); the
 *       group waits for the children</td><td>run; they may spawn siblings</td><td>allowed</td></tr>
 *   <tr><td>{@code ABORTING}</td><td>cancelled (or it threw: a failure, which is collected, or the
 *       cancellation of an enclosing scope, which is passed on)</td><td>cancelled; their failures
 *       are collected</td><td>throws: shutting down after a failure</td></tr>
 *   <tr><td>{@code DONE}</td><td>ended</td><td>all ended; the failures are thrown together
 *       ({@link TaskGroupException})</td><td>throws: finished</td></tr>
 * </table>
 * This is the diagram {@link TaskGroup} publishes. The state is changed and read by the task that
 * runs the group and by its children, all holding the one baton of the group's loop.
 *
 * @since 0.1.0
 */
public final class Group implements TaskGroup {

    /** A group's lifecycle; see the class documentation. */
    enum State { NEW, OPEN, CLOSING, ABORTING, DONE }

    private static final AtomicLong IDS = new AtomicLong();

    private final String name;
    final Scope scope;
    /** The loop of the task that runs the group; set when it starts. */
    private @Nullable Loop loop;
    private State state = State.NEW;
    private final Set<TaskImpl<?>> children = ConcurrentHashMap.newKeySet();
    private final List<Throwable> errors = new ArrayList<>();
    private @Nullable Signal exitSignal;

    public Group(@Nullable String name) {
        this.name = name == null || name.isBlank() ? "TaskGroup-" + IDS.incrementAndGet() : name;
        this.scope = new Scope(false, "task group '" + this.name + "'");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T extends @Nullable Object> T call(AsyncCallable<T, ?> body) {
        Objects.requireNonNull(body, "body");
        TaskImpl<?> me = TaskImpl.require("TaskGroup.call()");
        if (state != State.NEW) {
            throw new IllegalStateException("task group '" + name + "' was already run; create a new TaskGroup for each use");
        }
        scope.enter(me);
        loop = me.loop;
        exitSignal = new Signal(me);
        state = State.OPEN;
        T value = null;
        Throwable bodyError = null;
        try {
            value = body.call();
        } catch (Throwable e) {
            bodyError = e;
        }
        CancellationException propagate = null;
        if (bodyError instanceof CancelledException c && c.scope() == scope) {
            me.consumed(c); // our own abort reached the body: the failures will be raised instead
        } else if (bodyError instanceof CancellationException c) {
            propagate = c;
            // Cancelled by something else than the group (it rethrew a joined task's cancellation, say): its origin, if it has one.
            CancelOrigin origin = c instanceof CancelledException ce && ce.reason() != null ? ce.reason().origin() : CancelOrigin.APPLICATION;
            abort(CancelReason.of(origin, "the body of task group '" + name + "' was cancelled"));
        } else if (bodyError != null) {
            errors.add(bodyError);
            abort(CancelReason.of(CancelOrigin.SIBLING_FAILURE, "the body of task group '" + name + "' failed: " + bodyError));
        }
        if (state == State.OPEN) {
            state = State.CLOSING;
        }
        AwaitPoints.waitUntil(me, new WaitSite("task-group", name, loop.ticker.read()), false, children::isEmpty, exitSignal);
        scope.exit(me, false);
        state = State.DONE;
        if (!errors.isEmpty()) {
            throw new TaskGroupException(name, errors);
        }
        if (propagate != null) {
            throw propagate;
        }
        me.checkCancelled(); // an enclosing scope was cancelled while the group waited: go on with it now
        return value;
    }

    private void abort(CancelReason reason) {
        state = State.ABORTING;
        scope.cancelNow(reason);
    }

    /** Called by an ending child, holding the baton. */
    void childEnded(TaskImpl<?> child) {
        children.remove(child);
        if (child.state() == Task.State.FAILED) {
            Throwable f = child.failure();
            errors.add(f);
            if (state != State.ABORTING) {
                abort(CancelReason.of(CancelOrigin.SIBLING_FAILURE, "task '" + child.name() + "' failed: " + f));
            }
        }
        if (children.isEmpty()) {
            exitSignal.fire();
        }
    }

    @Override
    public <T extends @Nullable Object> Task<T> spawn(@Nullable String name, AsyncCallable<T, ?> body) {
        Objects.requireNonNull(body, "body");
        switch (state) {
            case NEW -> throw new IllegalStateException("task group '" + this.name + "' is not running: spawn its tasks inside run() or call()");
            case DONE -> throw new IllegalStateException("task group '" + this.name + "' has finished; it accepts no new tasks: spawn inside its run()/call() body, or create a new TaskGroup");
            case ABORTING -> throw new IllegalStateException("task group '" + this.name + "' is shutting down after a failure; it accepts no new tasks");
            case OPEN, CLOSING -> {
            }
        }
        if (!loop.holdsBaton()) {
            throw new IllegalStateException("TaskGroup.spawn() must be called from a task of event loop '" + loop.name
                    + "', the loop that runs task group '" + this.name + "'");
        }
        if (!loop.admit(name)) {
            return TaskImpl.shed(loop, name, loop.shedReason());
        }
        TaskImpl<T> t = new TaskImpl<>(loop, name, body, this);
        children.add(t);
        loop.schedule(t);
        return t;
    }

    @Override
    public void cancel(CancelReason reason) {
        scope.cancel(reason);
    }

    @Override
    public Collection<Task<?>> tasks() {
        return List.copyOf(children);
    }

    @Override
    public String toString() {
        return "TaskGroup[" + name + ", " + children.size() + " children]";
    }
}
