package dev.taskloop.core.internal;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.CancelledException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The cancel scope tree. Every task has a root scope (its parent: the scope of the group it was
 * spawned in, if any); scopes a task enters hang below its innermost one. A scope is cancelled when
 * its {@code reason} is set; an await point throws if {@link #responsible} finds a cancelled scope
 * between it and the nearest shield. Links are changed only by the baton holder.
 *
 * <h2>States</h2>
 * <pre>
 *   NEW --enter()--> ENTERED --exit()--> EXITED
 *                       |
 *                       +--a timeout's deadline passes--> EXPIRING --exit()--> EXPIRED      (TimeoutScope only)
 * </pre>
 * <table>
 *   <caption>Scope states</caption>
 *   <tr><th>{@link State}</th><th>the body</th><th>{@code cancel()}</th></tr>
 *   <tr><td>{@code NEW}</td><td>not started</td><td>only records the reason: the body starts
 *       cancelled</td></tr>
 *   <tr><td>{@code ENTERED}</td><td>runs inside the scope, in one task; a task's own scope is
 *       created entered and stays so</td><td>wakes the tasks parked inside, not behind shields</td></tr>
 *   <tr><td>{@code EXPIRING}</td><td>runs; a {@link TimeoutScope}'s deadline passed and its own
 *       cancellation is under way</td><td>as {@code ENTERED}</td></tr>
 *   <tr><td>{@code EXPIRED}</td><td>left after expiring; the edge threw {@code TimeoutExpiredException}
 *       if the timeout's own cancellation ended the body</td><td>does nothing</td></tr>
 *   <tr><td>{@code EXITED}</td><td>left without expiring</td><td>does nothing</td></tr>
 * </table>
 * This is the diagram {@link CancelScope} publishes, and with {@code EXPIRING} and {@code EXPIRED}
 * the one {@link dev.taskloop.core.Timeout} publishes. The state is written by the baton holder and
 * volatile, so that {@link TimeoutScope#expired()} may be asked from any thread.
 *
 * @since 0.1.0
 */
public class Scope implements CancelScope {

    /** A scope's lifecycle; see the class documentation. */
    enum State {
        NEW, ENTERED, EXPIRING, EXPIRED, EXITED;

        /** Whether the body runs inside the scope now. */
        boolean inside() {
            return this == ENTERED || this == EXPIRING;
        }
    }

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
    @Nullable String kind;
    /** The task that entered the scope (for a task's own scope: the task), until it exits. */
    volatile @Nullable TaskImpl<?> task;
    volatile @Nullable Scope parent;
    /** Set on entry; {@code null} before. */
    volatile @Nullable Loop loop;
    private @Nullable Scope firstChild;
    private @Nullable Scope nextSibling;
    private @Nullable Scope prevSibling;
    private volatile @Nullable CancelReason reason;
    volatile State state;
    private volatile boolean cancelledCaught;

    public Scope(boolean shield) {
        this(shield, shield ? "shielded cancel scope" : "cancel scope");
    }

    Scope(boolean shield, @Nullable String kind) {
        this(shield, kind, State.NEW);
    }

    private Scope(boolean shield, @Nullable String kind, State initial) {
        this.shield = shield;
        this.kind = kind;
        this.state = initial;
    }

    static Scope forTask(TaskImpl<?> t, @Nullable Scope parent) {
        Scope s = new Scope(false, null, State.ENTERED); // named lazily: see kind()
        s.task = t;
        s.loop = t.loop;
        s.parent = parent;
        if (parent != null) {
            parent.link(s);
        }
        return s;
    }

    /** The outermost cancelled scope between {@code s} (inclusive) and the first shield, or {@code null}. */
    static @Nullable Scope responsible(@Nullable Scope s) {
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
    public <T extends @Nullable Object, E extends Exception> @Nullable T call(AsyncCallable<T, E> body) throws E {
        TaskImpl<?> me = TaskImpl.require(this instanceof TimeoutScope ? "Timeout.call()" : "CancelScope.call()");
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
    <T extends @Nullable Object> @Nullable T ownCancellationCaught(CancelledException c) {
        return null;
    }

    void enter(TaskImpl<?> me) {
        State st = state;
        if (st != State.NEW) {
            throw new IllegalStateException("this " + kind() + " was already " + (st.inside() ? "entered" : "used")
                    + "; a scope is entered once: create a new one for each use");
        }
        task = me;
        parent = me.scope;
        loop = me.loop; // volatile: pairs with cancel(), which sets the reason and then reads the loop
        parent.link(this);
        me.scope = this;
        state = State.ENTERED;
        onEnter(me);
    }

    void exit(TaskImpl<?> me, boolean normal) {
        if (me.scope != this) {
            throw new IllegalStateException(kind() + " exited out of order in task '" + me.name() + "'");
        }
        me.scope = parent;
        parent.unlink(this);
        state = state == State.EXPIRING ? State.EXPIRED : State.EXITED;
        onExit();
        me.scopeLeft(this, normal);
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
        if (REASON.compareAndSet(this, null, reason) && state.inside()) {
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

    @Nullable CancelReason reason() {
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
