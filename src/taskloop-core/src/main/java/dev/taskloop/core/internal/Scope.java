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
 * <h2>Effective cancellation</h2>
 * Every scope keeps {@code effective}: the outermost cancelled scope between it (inclusive) and the
 * nearest shield above it, or {@code null}. It is set when the scope is linked (from its parent's)
 * and pushed down the subtree, stopping at shields, when a scope is cancelled; so an await point's
 * check reads one field, whatever the nesting depth, and cancelling a tree of {@code n} scopes costs
 * {@code O(n)}. The holder keeps it; a cancellation requested from another thread sets the reason at
 * once and counts itself in the loop's {@code remoteCancels} until the loop has pushed it down, and
 * while that count is not zero {@link #responsible} walks the chain as it always did, so such a
 * cancellation is seen at the very next await point, as before.
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
    /** The outermost cancelled scope from here up to the nearest shield; see "Effective cancellation". Holder writes. */
    private volatile @Nullable Scope effective;
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

    /**
     * The outermost cancelled scope between {@code s} (inclusive) and the first shield, or {@code null}.
     * One field read, unless a cancellation from another thread is still on its way down.
     */
    static @Nullable Scope responsible(@Nullable Scope s) {
        if (s == null) {
            return null;
        }
        Loop l = s.loop;
        if (l != null && l.remoteCancels.get() == 0) {
            return s.effective;
        }
        return walk(s);
    }

    /** {@link #responsible} by walking up to the first shield: for cancellations not pushed down yet. */
    static @Nullable Scope walk(@Nullable Scope s) {
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
            return; // not entered yet: its body starts cancelled (link() sees the reason)
        }
        if (l.holdsBaton()) {
            wakeAffected(this);
        } else {
            l.remoteCancels.incrementAndGet(); // until pushed down, await points walk the chain
            try {
                l.callSoonInternal(() -> {
                    try {
                        wakeAffected(this);
                    } finally {
                        l.remoteCancels.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                l.remoteCancels.decrementAndGet();
                throw e;
            }
        }
    }

    /** Cancels from the loop's baton holder. */
    void cancelNow(CancelReason reason) {
        if (REASON.compareAndSet(this, null, reason) && state.inside()) {
            wakeAffected(this);
        }
    }

    /**
     * Holder: pushes the cancellation of {@code s} down its subtree (stopping at shields) and wakes
     * every task parked inside it. Iterative: a tree may be thousands of scopes deep.
     */
    private static void wakeAffected(Scope s) {
        Scope p = s.parent;
        Scope eff = !s.shield && p != null && p.effective != null ? p.effective : s;
        java.util.ArrayDeque<Scope> todo = new java.util.ArrayDeque<>();
        todo.push(s);
        while (!todo.isEmpty()) {
            Scope c = todo.pop();
            c.effective = eff;
            TaskImpl<?> t = c.task;
            if (t != null && t.scope == c) {
                t.wakeForCancel();
            }
            for (Scope k = c.firstChild; k != null; k = k.nextSibling) {
                if (!k.shield) {
                    todo.push(k);
                }
            }
        }
    }

    /** Holder: the effective cancellation of {@code c}, just linked below this scope. */
    private void inherit(Scope c) {
        if (c.shield) {
            c.effective = c.reason != null ? c : null;
        } else {
            Scope e = effective;
            c.effective = e != null ? e : c.reason != null ? c : null;
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
        inherit(c);
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
