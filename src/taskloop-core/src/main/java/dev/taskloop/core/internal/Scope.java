package dev.taskloop.core.internal;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.CancelledException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The cancel scope tree. Every task has a root scope (its parent: the scope of the group it was
 * spawned in, if any); scopes a task enters hang below its innermost one. A scope is cancelled when
 * its {@code reason} is set; an await point throws if {@link #responsible} finds a cancelled scope
 * between it and the nearest shield. Links are changed only by the baton holder.
 */
public class Scope implements CancelScope {

    static final int NEW = 0;
    static final int ENTERED = 1;
    static final int EXITED = 2;

    private static final VarHandle REASON;

    static {
        try {
            REASON = MethodHandles.lookup().findVarHandle(Scope.class, "reason", CancelReason.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final boolean shield;
    /** How messages name this scope: {@code cancel scope}, {@code task group 'g'}, {@code timeout}; null for a task's own scope. */
    String kind;
    volatile TaskImpl<?> task;
    volatile Scope parent;
    volatile Loop loop;
    private Scope firstChild;
    private Scope nextSibling;
    private Scope prevSibling;
    private volatile CancelReason reason;
    int state = NEW;
    private volatile boolean cancelledCaught;

    public Scope(boolean shield) {
        this(shield, shield ? "shielded cancel scope" : "cancel scope");
    }

    Scope(boolean shield, String kind) {
        this.shield = shield;
        this.kind = kind;
    }

    static Scope forTask(TaskImpl<?> t, Scope parent) {
        Scope s = new Scope(false, null); // named lazily: see kind()
        s.task = t;
        s.loop = t.loop;
        s.parent = parent;
        s.state = ENTERED;
        if (parent != null) {
            parent.link(s);
        }
        return s;
    }

    /** The outermost cancelled scope between {@code s} (inclusive) and the first shield, or {@code null}. */
    static Scope responsible(Scope s) {
        Scope found = null;
        for (; s != null; s = s.parent) {
            if (s.reason != null) {
                found = s;
            }
            if (s.shield) {
                break;
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ CancelScope

    @Override
    public <T, E extends Exception> T call(AsyncCallable<T, E> body) throws E {
        TaskImpl<?> me = TaskImpl.require("CancelScope.call()");
        enter(me);
        boolean normal = false;
        try {
            T v = body.call();
            normal = true;
            return v;
        } catch (CancelledException c) {
            if (c.scope() != this) {
                throw c;
            }
            cancelledCaught = true;
            me.consumed(c);
            return ownCancellationCaught(c);
        } finally {
            exit(me, normal);
        }
    }

    /** What {@link #call} does when this scope's own cancellation reaches its edge: move on. */
    <T> T ownCancellationCaught(CancelledException c) {
        return null;
    }

    void enter(TaskImpl<?> me) {
        if (state != NEW) {
            throw new IllegalStateException("this " + kind() + " was already " + (state == ENTERED ? "entered" : "used")
                    + "; a scope is entered once: create a new one for each use");
        }
        task = me;
        parent = me.scope;
        loop = me.loop; // volatile: pairs with cancel(), which sets the reason and then reads the loop
        parent.link(this);
        me.scope = this;
        state = ENTERED;
        onEnter(me);
    }

    void exit(TaskImpl<?> me, boolean normal) {
        if (me.scope != this) {
            throw new IllegalStateException(kind() + " exited out of order in task '" + me.name() + "'");
        }
        me.scope = parent;
        parent.unlink(this);
        state = EXITED;
        onExit();
        if (normal) {
            me.checkSwallowed(this);
        }
        // An exited scope cancels nothing, but its CancelledException (or a timeout's, as the cause)
        // may outlive the task in a failure record: it must not lead back to the task.
        task = null;
        parent = null;
    }

    void onEnter(TaskImpl<?> me) {
    }

    void onExit() {
    }

    @Override
    public void cancel(CancelReason reason) {
        Objects.requireNonNull(reason, "reason");
        if (!REASON.compareAndSet(this, null, reason)) {
            return;
        }
        Loop l = loop;
        if (l == null) {
            return; // not entered yet: its body starts cancelled
        }
        if (l.holdsBaton()) {
            wakeAffected(this, true);
        } else {
            l.callSoonInternal(() -> wakeAffected(this, true));
        }
    }

    /** Cancels from the loop's baton holder. */
    void cancelNow(CancelReason reason) {
        if (REASON.compareAndSet(this, null, reason) && state == ENTERED) {
            wakeAffected(this, true);
        }
    }

    /** Wakes every task parked inside {@code s}, not looking behind shields. */
    private static void wakeAffected(Scope s, boolean origin) {
        if (!origin && s.shield) {
            return;
        }
        TaskImpl<?> t = s.task;
        if (t != null && t.scope == s) {
            t.wakeForCancel();
        }
        for (Scope c = s.firstChild; c != null; c = c.nextSibling) {
            wakeAffected(c, false);
        }
    }

    /** How messages name this scope. */
    String kind() {
        return kind != null ? kind : "task '" + task.name() + "'";
    }

    /** The exception an await point of {@code t} throws for this scope's cancellation. */
    CancelledException deliver(TaskImpl<?> t) {
        CancelledException e = new CancelledException(
                (kind == null && task == t ? kind() + " was cancelled: " : "task '" + t.name() + "' cancelled by " + kind() + ": ")
                        + reason.message(), this, reason);
        t.delivered(e);
        return e;
    }

    CancelReason reason() {
        return reason;
    }

    @Override
    public boolean isCancelled() {
        return reason != null;
    }

    @Override
    public boolean cancelledCaught() {
        return cancelledCaught;
    }

    @Override
    public boolean isShielded() {
        return shield;
    }

    // ------------------------------------------------------------------ links (holder only)

    void link(Scope c) {
        c.prevSibling = null;
        c.nextSibling = firstChild;
        if (firstChild != null) {
            firstChild.prevSibling = c;
        }
        firstChild = c;
    }

    void unlink(Scope c) {
        if (c.prevSibling != null) {
            c.prevSibling.nextSibling = c.nextSibling;
        } else if (firstChild == c) {
            firstChild = c.nextSibling;
        }
        if (c.nextSibling != null) {
            c.nextSibling.prevSibling = c.prevSibling;
        }
        c.nextSibling = null;
        c.prevSibling = null;
    }

    @Override
    public String toString() {
        return kind() + (reason != null ? " (cancelled: " + reason.message() + ")" : "");
    }
}
