package dev.taskloop.core.internal;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.TaskFailedException;
import dev.taskloop.core.spi.Awaiting;
import dev.taskloop.core.spi.Describe;
import dev.taskloop.core.spi.TaskSnapshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The implementation of {@link Task}: its life from spawn to end, its API, its wait protocol and
 * its cancellation bookkeeping. The await points themselves are {@link AwaitPoints}', joining is
 * {@link Joining}'s, the future view is {@link TaskFuture}, and an unretrieved failure is reported
 * by a {@link FailureRecord}.
 *
 * <h2>States</h2>
 * The task's {@link Task.State} is the one {@link Task} publishes (diagram and table there); here
 * is who moves it:
 * <table>
 *   <caption>Task state transitions</caption>
 *   <tr><th>to</th><th>by</th><th>thread</th></tr>
 *   <tr><td>{@code READY}</td><td>{@link #becameReady}: spawned, woken, or yielding</td><td>the
 *       waker, under the baton's lock</td></tr>
 *   <tr><td>{@code RUNNING}</td><td>{@link #startedStep}: handed the baton</td><td>the hander,
 *       under the baton's lock</td></tr>
 *   <tr><td>{@code ASLEEP}</td><td>{@link #beginWait} at an await point, {@link #offloadBegins}</td>
 *       <td>the task</td></tr>
 *   <tr><td>{@code COMPLETED}, {@code FAILED}, {@code CANCELLED}</td><td>{@link #endState}, called
 *       by the loop when it counted the end and stopped listing the task, before it announces the
 *       end ({@link #shed} for a task admission control dropped)</td><td>the task</td></tr>
 * </table>
 *
 * <h2>Ending</h2>
 * A task's end becomes visible in a fixed order, so that whoever learns of it sees it whole:
 * <ol>
 *   <li>the loop counts it and stops listing it ({@code loop.tasks()}, its snapshot's figures);</li>
 *   <li>the final state is published ({@link #state()}, {@link #isDone()}, {@link #result()});</li>
 *   <li>the loop's listeners hear of it ({@code LoopListener.taskEnded}): they see the final state;</li>
 *   <li>the task is {@linkplain #hasEnded() ended}, and its completion listeners run: its joiners
 *       wake ({@code join}, {@code gather}, {@code wait}, the future view, its group), {@code onDone}
 *       callbacks are queued. A join therefore never returns before the loop counted and announced
 *       the task, and a {@code join()} that finds the task done but not yet ended waits the few
 *       instructions until it is;</li>
 *   <li>the task hands the baton on; the loop's {@code close()} waits until this last step too.</li>
 * </ol>
 *
 * <p>An offloaded call has a state of its own, {@link Offload}, so that a cancellation interrupts
 * the call exactly once and never the task's next await point:
 * <pre>
 *   NONE --offloadBegins--> RUNNING --call returns--> NONE
 *                              |
 *                              +--wakeForCancel--> INTERRUPTING --interrupt() done--> INTERRUPTED --call returns--> NONE
 * </pre>
 * <table>
 *   <caption>Offload states</caption>
 *   <tr><th>{@link Offload}</th><th>meaning</th></tr>
 *   <tr><td>{@code NONE}</td><td>no offloaded call: the task is at an await point or holds the baton</td></tr>
 *   <tr><td>{@code RUNNING}</td><td>the call runs on the task's thread, outside the baton; await
 *       points called from it fail</td></tr>
 *   <tr><td>{@code INTERRUPTING}</td><td>a canceller won the CAS and is interrupting the thread; the
 *       call's end waits (spins) until it has</td></tr>
 *   <tr><td>{@code INTERRUPTED}</td><td>the interrupt was delivered; the call's end clears it before
 *       the task queues for the baton</td></tr>
 * </table>
 *
 * <h2>Waiting</h2>
 * Every wait gets a fresh <em>ticket</em>. Whatever may end the wait (a timer, a completion on any
 * thread, a cancellation) calls {@link #wake(long, Object, long)} with that ticket; a CAS lets
 * exactly one of them win, so a task is never made ready twice, and a late waker of an old wait
 * does nothing. The winner's value tells the task why it woke.
 *
 * @since 0.1.0
 */
public final class TaskImpl<T extends @Nullable Object> extends Fiber implements Task<T> {

    static final ScopedValue<TaskImpl<?>> CURRENT = ScopedValue.newInstance();
    private static final AtomicLong IDS = new AtomicLong();

    static final Object WOKEN = new Object();
    static final Object CANCEL = new Object();
    static final Object TIMEOUT = new Object();

    /** Where an offloaded call stands; see the class documentation. */
    enum Offload { NONE, RUNNING, INTERRUPTING, INTERRUPTED }

    private static final VarHandle TICKET;
    private static final VarHandle OFFLOAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TICKET = l.findVarHandle(TaskImpl.class, "ticket", long.class);
            OFFLOAD = l.findVarHandle(TaskImpl.class, "offload", Offload.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    /** The name given at spawn, or {@code null}: the default name is built only when asked for. */
    private final @Nullable String givenName;
    /** The group the task was spawned in, or {@code null} for a task of the loop. */
    final @Nullable Group group;
    /** {@code null} once the task has ended, so that a kept handle does not keep the body. */
    private @Nullable AsyncCallable<T, ?> body;
    final Scope root;
    /** The innermost scope the task is in; only the task itself changes it. */
    Scope scope;

    private volatile State state = State.READY;
    private @Nullable T result;
    private @Nullable Throwable failure;
    private volatile @Nullable CancelReason endReason;
    final long spawnedAt;
    private volatile long endedAt = -1;

    volatile long awakeNanos;
    volatile long asleepNanos;
    volatile long waitingNanos;
    private volatile long stepCount;
    long parkedAt;

    private volatile long ticket;
    private long lastTicket;
    private @Nullable Object wakeValue;
    private boolean cancellableWait;
    /**
     * What the task waits on: an {@link Awaiting}, or a {@link WaitSite} or (a sleep) its {@link WakeTimer},
     * formatted only when someone looks ({@link #awaitingNow}).
     */
    volatile @Nullable Object awaiting;
    private @Nullable WakeTimer timer;
    /** Read and written through {@link #OFFLOAD} (volatile and CAS); a plain store only here, before the task is published. */
    private Offload offload = Offload.NONE;
    /** The last cancellation thrown to this task that no scope edge has stopped yet. */
    private @Nullable CancelledException undelivered;

    private @Nullable List<Consumer<? super TaskImpl<T>>> completionListeners;
    /** Written under this task's monitor, after the end was announced; see "Ending" in the class documentation. */
    private volatile boolean ended;
    private @Nullable TaskFuture<T> future;
    private volatile boolean observed;
    private volatile @Nullable FailureRecord failureRecord;

    TaskImpl(Loop loop, @Nullable String name, AsyncCallable<T, ?> body, @Nullable Group group) {
        super(loop, loop.baton);
        this.id = IDS.incrementAndGet();
        this.givenName = name == null || name.isBlank() ? null : name;
        this.group = group;
        this.body = body;
        this.root = Scope.forTask(this, group == null ? null : group.scope);
        this.scope = root;
        this.spawnedAt = loop.ticker.read();
        this.parkedAt = spawnedAt;
    }

    /** A task that admission control dropped: already {@code CANCELLED}, never registered, never run. */
    static <T extends @Nullable Object> TaskImpl<T> shed(Loop loop, @Nullable String name, CancelReason reason) {
        TaskImpl<T> t = new TaskImpl<>(loop, name, () -> null, null);
        CancelledException c = new CancelledException(reason.message(), null, reason);
        t.failure = c;
        t.endReason = reason;
        t.endedAt = t.spawnedAt;
        t.body = null;
        synchronized (t) {
            t.ended = true;
        }
        t.observed = true;
        t.state = State.CANCELLED;
        return t;
    }

    // ------------------------------------------------------------------ current task

    /** The task running on this thread, or {@code null}. */
    public static @Nullable TaskImpl<?> current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    /** The current task, or a clear {@link IllegalStateException} naming {@code what} was misused. */
    public static TaskImpl<?> require(String what) {
        if (!CURRENT.isBound()) {
            Loop cb = Loop.callbackLoop();
            throw new IllegalStateException(what + " must be called from a Taskloop task, but "
                    + (cb != null ? "it was called from a callback of event loop '" + cb.name
                    + "' (callbacks run on the loop's driver and cannot await)"
                    : "thread '" + Thread.currentThread().getName() + "' is not one")
                    + ": spawn the work on a loop with loop.spawn(...), or start one with EventLoop.run(main)");
        }
        TaskImpl<?> t = CURRENT.get();
        if ((Offload) OFFLOAD.getVolatile(t) != Offload.NONE) {
            throw new IllegalStateException(what + " was called inside the offload() work of task '" + t.name()
                    + "'; offloaded work runs outside the loop and cannot await: return from the work first");
        }
        return t;
    }

    // ------------------------------------------------------------------ running

    @Override
    void start() {
        Thread th = loop.carriers.newThread(givenName, this, this::run);
        thread = th;
        th.start();
    }

    private void run() {
        awaitBaton();
        ScopedValue.where(CURRENT, this).run(this::execute);
    }

    private void execute() {
        T value = null;
        Throwable error = null;
        try {
            Scope r = Scope.responsible(scope);
            if (r != null) {
                throw r.deliver(this); // cancelled before its first step: asyncio never starts the body
            }
            if (!loop.listeners.isEmpty()) {
                loop.notifyListeners("taskStarting", l -> l.taskStarting(this));
            }
            value = body.call();
        } catch (Throwable e) {
            error = e;
        }
        if (error == null && undelivered != null) {
            reportSwallowed(undelivered.scope() == null ? "task '" + name() + "'" : ((Scope) undelivered.scope()).kind());
        }
        finish(value, error);
    }

    private void finish(@Nullable T value, @Nullable Throwable error) {
        State s;
        if (error == null) {
            result = value;
            s = State.COMPLETED;
        } else if (error instanceof CancellationException) {
            failure = error;
            // The reason given to cancel(), as while the cancellation was pending; the one a rethrown cancellation
            // carries (a joined task's); the application's for others (a CancellationException of its own).
            endReason = error instanceof CancelledException ce && ce.scope() instanceof Scope sc && sc.reason() != null ? sc.reason()
                    : error instanceof CancelledException ce && ce.reason() != null ? ce.reason()
                    : CancelReason.application(String.valueOf(error.getMessage()));
            s = State.CANCELLED;
        } else {
            failure = error;
            s = State.FAILED;
        }
        long now = loop.ticker.read();
        baton.endStep(this, now); // before the final snapshot, so that it includes the last step
        endedAt = now;
        awaiting = null;
        if (root.parent != null) {
            root.parent.unlink(root);
        }
        // Counted, unlisted, its state published (endState), announced: see "Ending" in the class documentation.
        loop.taskEnded(this, s);
        List<Consumer<? super TaskImpl<T>>> listeners;
        synchronized (this) {
            ended = true;
            listeners = completionListeners;
            completionListeners = null;
        }
        if (group != null) {
            group.childEnded(this);
        }
        if (listeners != null) {
            for (Consumer<? super TaskImpl<T>> l : listeners) {
                try {
                    l.accept(this);
                } catch (Throwable e) {
                    loop.containment.failed(new Containment.Key(l.getClass(), "completion"), "completion listener " + l + " of task '" + name() + "'", e);
                }
            }
        }
        if (error instanceof VirtualMachineError vme) {
            loop.containment.taskFatal(Describe.task(name(), id), vme);
        }
        if (s == State.FAILED && !observed) {
            FailureRecord rec = new FailureRecord(loop, snapshot(), error);
            failureRecord = rec;
            rec.watch(this);
            if (observed) {
                rec.forget();
            }
        }
        Thread.interrupted();
        baton.handOff(this, now);
        // A finished task may be referenced for long (a handle, a gather list): let its thread and body go.
        thread = null;
        body = null;
    }

    /** Publishes the final state; called by {@link Loop#taskEnded} between unlisting the task and announcing its end. */
    void endState(State s) {
        state = s;
    }

    /**
     * Whether the end is complete: the final state published, the end counted and announced; its
     * completion listeners run from here on. What a join waits for, rather than {@link #isDone()}.
     */
    boolean hasEnded() {
        return ended;
    }

    // ------------------------------------------------------------------ accounting hooks (loop, under its lock)

    void becameReady(long readyAt) {
        if (loop.accounting.measure) {
            asleepNanos += Math.max(0, readyAt - parkedAt);
        }
        state = State.READY;
    }

    void startedStep() {
        state = State.RUNNING;
        stepCount++;
    }

    // ------------------------------------------------------------------ the wait protocol

    /** Starts a wait (holder only): checks cancellation if the wait is cancellable, returns its ticket. */
    long beginWait(Object what, boolean cancellable, long now) {
        if (cancellable) {
            checkCancelled();
        }
        return begin(what, cancellable, now);
    }

    /**
     * Starts a cancellable wait (holder only), unless a cancellation is pending: then it starts
     * nothing and returns {@code 0}, so that the await point can pass the cancellation on to what
     * it was about to wait for, as it does when the cancellation comes while it waits.
     */
    long beginWaitUnlessCancelled(Object what, long now) {
        if (Scope.responsible(scope) != null) {
            return 0;
        }
        return begin(what, true, now);
    }

    private long begin(Object what, boolean cancellable, long now) {
        long t = ++lastTicket;
        wakeValue = null;
        cancellableWait = cancellable;
        parkedAt = now; // before awaiting: a reader that sees the wait sees when it began (awaitingNow)
        awaiting = what;
        state = State.ASLEEP;
        ticket = t;
        return t;
    }

    /** Ends the wait {@code t} with {@code value} if nobody else has; any thread. */
    boolean wake(long t, @Nullable Object value, long readyAt) {
        if (!TICKET.compareAndSet(this, t, 0L)) {
            return false;
        }
        wakeValue = value;
        baton.makeReady(this, readyAt);
        return true;
    }

    /** Releases the baton until the current wait is woken; returns the waker's value. */
    @Nullable Object suspend(long now) {
        baton.suspend(this, now);
        awaiting = null;
        return wakeValue;
    }

    /** Wakes the task if it is parked in a cancellable wait, or interrupts its offloaded call. Holder of this task's loop. */
    void wakeForCancel() {
        long t = ticket;
        if (t != 0 && cancellableWait) {
            wake(t, CANCEL, loop.ticker.read());
        } else if (OFFLOAD.compareAndSet(this, Offload.RUNNING, Offload.INTERRUPTING)) {
            thread.interrupt();
            OFFLOAD.setVolatile(this, Offload.INTERRUPTED);
        }
    }

    /** Throws the cancellation of the responsible scope, if there is one. */
    void checkCancelled() {
        Scope r = Scope.responsible(scope);
        if (r != null) {
            throw r.deliver(this);
        }
    }

    /** After a wait woken by cancellation: the exception to throw. */
    CancelledException cancellation() {
        Scope r = Scope.responsible(scope);
        if (r == null) {
            r = root; // cannot happen: a wait is only woken for cancellation when a scope around it is cancelled
        }
        return r.deliver(this);
    }

    void delivered(CancelledException e) {
        undelivered = e;
    }

    void consumed(CancelledException e) {
        if (undelivered == e || (undelivered != null && undelivered.scope() == e.scope())) {
            undelivered = null;
        }
    }

    /**
     * A scope is left: normally, after its own cancellation was thrown here and caught, that was
     * swallowed; by an exception that replaced that cancellation (a {@code finally} that threw), it
     * was not: the cancellation did stop the body, and it ends with the scope.
     */
    void scopeLeft(Scope s, boolean normally) {
        if (undelivered != null && undelivered.scope() == s) {
            undelivered = null;
            if (normally) {
                reportSwallowed(s.kind());
            }
        }
    }

    private void reportSwallowed(String scopeKind) {
        undelivered = null;
        Loop.LOG.log(System.Logger.Level.WARNING, () -> Describe.task(this) + " caught the cancellation of "
                + scopeKind + " and carried on: cancellation is level-triggered, so let CancelledException propagate"
                + " (use a shielded CancelScope for cleanup that must await)");
        TaskSnapshot s = snapshot();
        loop.notifyListeners("cancellationSwallowed", l -> l.cancellationSwallowed(s, scopeKind));
    }

    /** The task's one wake-up timer (sleep, join timeout), reused from wait to wait. */
    WakeTimer timer() {
        WakeTimer w = timer;
        if (w == null) {
            w = timer = new WakeTimer(this);
        }
        return w;
    }

    // ------------------------------------------------------------------ offloading (see the class documentation)

    /** {@code Async.offload}, before the call: the task releases the baton and counts as asleep on {@code what}. */
    void offloadBegins(WaitSite what) {
        long now = what.since();
        parkedAt = now; // before awaiting: a reader that sees the wait sees when it began (awaitingNow)
        awaiting = what;
        state = State.ASLEEP;
        loop.accounting.offloads.incrementAndGet();
        OFFLOAD.setVolatile(this, Offload.RUNNING);
        baton.handOff(this, now);
        loop.carriers.offloadStarted();
    }

    /** Whether an offloaded call of this task runs now (its thread then belongs off the loop's carrier). */
    boolean offloading() {
        return (Offload) OFFLOAD.getVolatile(this) != Offload.NONE;
    }

    /**
     * {@code Async.offload}, after the call: clears an interrupt a cancellation sent the call (once
     * the canceller is done sending it), queues for the baton and waits for it.
     */
    void offloadEnds() {
        if (!OFFLOAD.compareAndSet(this, Offload.RUNNING, Offload.NONE)) {
            while ((Offload) OFFLOAD.getVolatile(this) != Offload.INTERRUPTED) {
                Thread.onSpinWait(); // the canceller is between its CAS and interrupt(): a few instructions
            }
            OFFLOAD.setVolatile(this, Offload.NONE);
        }
        Thread.interrupted();
        baton.makeReady(this, loop.ticker.read());
        loop.accounting.offloads.decrementAndGet();
        awaitBaton();
        loop.carriers.offloadEnded();
        awaiting = null;
    }

    // ------------------------------------------------------------------ joining

    @Override
    public T join() {
        return Joining.join(this, -1);
    }

    @Override
    public T join(Duration timeout) {
        return Joining.join(this, Checks.saturatedNanos(Checks.nonNegative("join timeout", timeout)));
    }

    /** The outcome of an ended task, as {@link #result()} describes it. */
    T outcome() {
        return switch (state) {
            case COMPLETED -> result;
            case FAILED -> {
                markObserved();
                throw new TaskFailedException(this, failure);
            }
            case CANCELLED -> {
                markObserved();
                throw new CancelledException(Describe.task(this) + " was cancelled: " + endReason.message(), null, endReason);
            }
            default -> throw new IllegalStateException(Describe.task(this) + " has not ended yet (state "
                    + state + "); join() it to wait for its result");
        };
    }

    // ------------------------------------------------------------------ Task API

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return givenName == null ? "Task-" + id : givenName;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public boolean isCancelRequested() {
        return Scope.responsible(root) != null;
    }

    @Override
    public T result() {
        return outcome();
    }

    @Override
    public @Nullable Throwable exception() {
        State s = state;
        if (s == State.FAILED) {
            markObserved();
            return failure;
        }
        if (s == State.COMPLETED) {
            return null;
        }
        return outcomeThrowing();
    }

    private Throwable outcomeThrowing() {
        outcome();
        throw new AssertionError("unreachable");
    }

    /** What the task threw, for groups; marks it observed. */
    @Nullable Throwable failure() {
        markObserved();
        return failure;
    }

    @Override
    public boolean cancel(CancelReason reason) {
        java.util.Objects.requireNonNull(reason, "reason");
        if (isDone()) {
            return false;
        }
        root.cancel(reason);
        return true;
    }

    /** Cancels from the loop's baton holder. */
    void cancelNow(CancelReason reason) {
        root.cancelNow(reason);
    }

    @Override
    public void onDone(Consumer<? super Task<T>> callback) {
        java.util.Objects.requireNonNull(callback, "callback");
        addCompletionListener(t -> loop.callSoonOrRun(() -> {
            try {
                callback.accept(t);
            } catch (Throwable e) {
                Loop l = loop;
                l.containment.failed(new Containment.Key(callback.getClass(), "onDone"), "done callback " + callback + " of task '" + name() + "'", e);
                l.notifyListeners("callbackFailed", x -> x.callbackFailed("done callback " + callback + " of task '" + name() + "'", e));
            }
        }));
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        TaskFuture<T> f;
        boolean created = false;
        synchronized (this) {
            f = future;
            if (f == null) {
                f = future = new TaskFuture<>(this);
                created = true;
            }
        }
        markObserved();
        if (created) {
            TaskFuture<T> fut = f;
            addCompletionListener(t -> fut.settle(t.state, t.result, t.failure));
        }
        return f;
    }

    void addCompletionListener(Consumer<? super TaskImpl<T>> listener) {
        synchronized (this) {
            if (!ended) {
                if (completionListeners == null) {
                    completionListeners = new ArrayList<>(2);
                }
                completionListeners.add(listener);
                return;
            }
        }
        listener.accept(this);
    }

    void removeCompletionListener(Consumer<? super TaskImpl<T>> listener) {
        synchronized (this) {
            if (completionListeners != null) {
                completionListeners.remove(listener);
            }
        }
    }

    void markObserved() {
        observed = true;
        FailureRecord r = failureRecord;
        if (r != null) {
            r.forget();
        }
    }

    @Override
    public TaskSnapshot snapshot() {
        return snapshot(state);
    }

    TaskSnapshot snapshot(State s) {
        long awake = awakeNanos;
        long asleep = asleepNanos;
        long waiting = waitingNanos;
        if (!s.isDone() && loop.accounting.measure) {
            long now = loop.ticker.read();
            switch (s) {
                case RUNNING -> awake += Math.max(0, now - stepStart);
                case ASLEEP -> asleep += Math.max(0, now - parkedAt);
                case READY -> waiting += Math.max(0, now - readyAt);
                default -> {
                }
            }
        }
        CancelReason reason = endReason;
        boolean cancelRequested = s == State.CANCELLED;
        if (!s.isDone()) {
            Scope r = Scope.responsible(root);
            cancelRequested = r != null;
            reason = r == null ? null : r.reason();
        }
        return new TaskSnapshot(id, name(), loop.name, group == null ? null : group.name(), s, awake, asleep, waiting,
                stepCount, s == State.ASLEEP ? awaitingNow() : null, cancelRequested, reason,
                s == State.FAILED ? failure : null, spawnedAt, endedAt);
    }

    @Override
    public StackTraceElement[] stackTrace() {
        Thread th = thread;
        return th == null || isDone() ? new StackTraceElement[0] : th.getStackTrace();
    }

    @Override
    long fiberId() {
        return id;
    }

    @Override
    String fiberName() {
        return name();
    }

    @Override
    public String toString() {
        return "Task[" + name() + " #" + id + ", " + state + "]";
    }

    /** What the task waits on now, or {@code null}. */
    @Nullable Awaiting awaitingNow() {
        return switch (awaiting) {
            case WaitSite w -> w.toAwaiting();
            // A sleep with a timer (AwaitPoints.sleep); the wait began at parkedAt
            case WakeTimer w -> Awaiting.of("sleep", Durations.format(Math.max(0, w.deadline - parkedAt)), parkedAt);
            case null -> null;
            case Object a -> (Awaiting) a;
        };
    }
}
