package dev.taskloop.core.internal;

import dev.taskloop.core.Admission;
import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.Backend;
import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Handle;
import dev.taskloop.core.Task;
import dev.taskloop.core.Ticker;
import dev.taskloop.core.spi.AdmissionSnapshot;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.core.spi.TaskSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * {@link EventLoop}: the loop's API and its lifecycle (its tasks, listeners and things to close).
 * The scheduling is the {@link Baton}'s (ready queue, timers, hand-off, driver), the figures are
 * the {@link Accounting}'s, and stuck or slow steps are the {@link SlowSteps}' to detect.
 *
 * <h2>States</h2>
 * <pre>
 *   build() --> OPEN --close()/shutdown()--> CLOSING --tasks ended or timeout--> CLOSED
 * </pre>
 * <table>
 *   <caption>Loop states</caption>
 *   <tr><th>{@link State}</th><th>spawn</th><th>callSoon / callAt</th><th>the driver</th></tr>
 *   <tr><td>{@code OPEN}</td><td>accepted (subject to admission)</td><td>accepted</td><td>runs</td></tr>
 *   <tr><td>{@code CLOSING}</td><td>rejected (task-group children are still spawned; admission
 *       waiters are woken and rejected)</td><td>accepted: the cancelled tasks' cleanup needs them</td>
 *       <td>runs, until the tasks have ended or the timeout passed; then stragglers are interrupted and
 *       reported, and the {@link #onClose} closeables closed</td></tr>
 *   <tr><td>{@code CLOSED}</td><td>rejected</td><td>rejected ({@code onDone} callbacks run in place instead)</td>
 *       <td>stopped</td></tr>
 * </table>
 * The state only moves forward, changed under the baton's lock by the first {@link #shutdown}
 * caller; later callers wait until that one has finished. This is the diagram {@link EventLoop}
 * publishes.
 *
 * <p>Thread-safety: every public method may be called from any thread; {@link #shutdown} not from
 * one of the loop's own tasks or callbacks.
 *
 * @since 0.1.0
 */
public final class Loop implements EventLoop {

    /** A loop's lifecycle; see the class documentation. */
    enum State { OPEN, CLOSING, CLOSED }

    static final System.Logger LOG = System.getLogger("dev.taskloop.core.EventLoop");

    private static final AtomicInteger LOOP_IDS = new AtomicInteger();
    /** Bound on a loop's driver thread, so that code run by callbacks can be told apart. */
    static final ScopedValue<Loop> DRIVER_OF = ScopedValue.newInstance();

    final String name;
    final Ticker ticker;
    private final Duration shutdownTimeout;

    final Accounting accounting;
    final SlowSteps slow;
    final Baton baton;
    /** Cancellations requested off the loop whose push down the scope tree is still queued; see {@link Scope}. */
    final AtomicInteger remoteCancels = new AtomicInteger();
    /** Contains and reports what integration code (listeners, observers, callbacks, close hooks) throws. */
    final Containment containment = new Containment(this);
    /** Where the loop's virtual threads run (its {@link Backend}). */
    final Carriers carriers;
    private final AdmissionControl admission;

    private volatile State state = State.OPEN;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile List<TaskSnapshot> stragglers = List.of();

    private final ConcurrentHashMap<Long, TaskImpl<?>> tasks = new ConcurrentHashMap<>();
    final CopyOnWriteArrayList<LoopListener> listeners;
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    /** Tasks removed from {@link #tasks} whose end the listeners have not heard of yet. */
    private final AtomicInteger announcing = new AtomicInteger();

    public Loop(@Nullable String name, Ticker ticker, Duration slowStepThreshold, Duration shutdownTimeout,
                boolean watchdog, boolean measure, Admission admission, List<LoopListener> listeners, Backend backend,
                Duration reportInterval) {
        this.name = name == null || name.isBlank() ? "loop-" + LOOP_IDS.incrementAndGet() : name;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.slow = new SlowSteps(this, slowStepThreshold, watchdog, reportInterval);
        this.shutdownTimeout = Checks.nonNegative("shutdownTimeout", shutdownTimeout);
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        this.admission = new AdmissionControl(this, Objects.requireNonNull(admission, "admission"));
        this.accounting = new Accounting(this, measure);
        refreshLagObservers();
        this.carriers = Carriers.of(Objects.requireNonNull(backend, "backend"), this);
        this.baton = new Baton(this, accounting, slow);
        baton.driver.start();
        if (watchdog || this.admission.hasLagSlo()) {
            SlowSteps.Watchdog.register(this);
        }
    }

    // ------------------------------------------------------------------ public API

    @Override
    public String name() {
        return name;
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public <T extends @Nullable Object> Task<T> spawn(@Nullable String name, AsyncCallable<T, ?> body) {
        Objects.requireNonNull(body, "body");
        State s = state;
        if (s != State.OPEN) {
            throw new RejectedExecutionException("event loop '" + this.name + "' is "
                    + (s == State.CLOSING ? "shutting down" : "closed") + "; cannot spawn task '"
                    + (name == null ? "(unnamed)" : name) + "': spawn on a loop that is open (EventLoop.create()), "
                    + "or spawn into a TaskGroup of a running task");
        }
        if (!admit(name)) {
            return TaskImpl.shed(this, name, shedReason());
        }
        if (state != State.OPEN) {
            admission.released();
            throw new RejectedExecutionException("event loop '" + this.name + "' closed while task '"
                    + (name == null ? "(unnamed)" : name) + "' waited for admission");
        }
        TaskImpl<T> t = new TaskImpl<>(this, name, body, null);
        schedule(t);
        return t;
    }

    /** Admission control for a new task (see {@link Admission}); {@code false}: shed it. */
    boolean admit(@Nullable String taskName) {
        return admission.admit(taskName);
    }

    /** The cancellation of a task that admission control sheds now. */
    CancelReason shedReason() {
        return CancelReason.of(CancelOrigin.ADMISSION, "shed by admission control of event loop '" + name + "': " + admission.reason());
    }

    @Override
    public Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        requireOpen("callSoon");
        CallbackHandle h = new CallbackHandle(callback, false, Long.MIN_VALUE);
        baton.enqueueCallback(h);
        return h;
    }

    @Override
    public Handle callLater(Duration delay, Runnable callback) {
        long nanos = Checks.saturatedNanos(Checks.nonNegative("callLater delay", delay));
        return callAt(Checks.deadline(ticker.read(), nanos), callback);
    }

    @Override
    public Handle callAt(long deadline, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        requireOpen("callAt");
        CallbackHandle h = new CallbackHandle(callback, false, deadline);
        baton.addTimer(h);
        return h;
    }

    private void requireOpen(String what) {
        if (state == State.CLOSED) {
            throw new RejectedExecutionException("event loop '" + name + "' is closed; " + what + " rejected");
        }
    }

    @Override
    public Collection<Task<?>> tasks() {
        return List.copyOf(tasks.values());
    }

    @Override
    public Collection<Task<?>> tasks(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("tasks(max) of event loop '" + name + "': max must be zero or more, was " + max);
        }
        List<Task<?>> out = new ArrayList<>(Math.min(max, 1024));
        if (max == 0) {
            return out;
        }
        for (TaskImpl<?> t : tasks.values()) { // weakly consistent: stops after max, never copies the map
            out.add(t);
            if (out.size() == max) {
                break;
            }
        }
        return out;
    }

    @Override
    public Optional<Task<?>> task(long id) {
        return Optional.ofNullable(tasks.get(id));
    }

    @Override
    public void addListener(LoopListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        refreshLagObservers();
    }

    @Override
    public void removeListener(LoopListener listener) {
        listeners.remove(listener);
        refreshLagObservers();
    }

    private synchronized void refreshLagObservers() {
        accounting.lagObservers(listeners.stream().map(containment::lagObserverOf).filter(Objects::nonNull).toArray(LongConsumer[]::new));
    }

    @Override
    public boolean isClosed() {
        return state != State.OPEN;
    }

    @Override
    public LoopSnapshot snapshot() {
        return accounting.snapshot();
    }

    @Override
    public void close() {
        shutdown(shutdownTimeout);
    }

    @Override
    public List<TaskSnapshot> shutdown(Duration timeout) {
        long timeoutNanos = Checks.saturatedNanos(Checks.nonNegative("shutdown timeout", timeout));
        if (isOwnThread()) {
            throw new IllegalStateException("event loop '" + name + "' cannot be closed from its own task or callback ("
                    + Thread.currentThread().getName() + "): close() waits for every task to end; close it from outside");
        }
        boolean first;
        baton.lock.lock();
        try {
            first = state == State.OPEN;
            if (first) {
                state = State.CLOSING;
            }
        } finally {
            baton.lock.unlock();
        }
        if (first) {
            admission.wakeAll();
        }
        if (!first) {
            Uninterruptibly.await(closed::await);
            return stragglers;
        }
        try {
            CancelReason reason = CancelReason.of(CancelOrigin.SHUTDOWN, "event loop '" + name + "' is shutting down");
            baton.enqueueCallback(new CallbackHandle(() -> {
                for (TaskImpl<?> t : tasks.values()) {
                    t.cancelNow(reason);
                }
            }, true, Long.MIN_VALUE));
            // Every task ended and announced, and the baton free: the last task has finished ending (its
            // done callbacks were queued, and have run), so none is queued to a driver that has stopped.
            if (!baton.awaitIdle(() -> tasks.isEmpty() && announcing.get() == 0 && baton.holder == null, tasks::isEmpty,
                    timeoutNanos, Long.MAX_VALUE) && !tasks.isEmpty()) {
                List<TaskImpl<?>> left = new ArrayList<>(tasks.values());
                left.sort(Comparator.comparingLong(TaskImpl::id));
                stragglers = left.stream().map(TaskImpl::snapshot).toList();
                for (TaskImpl<?> t : left) {
                    Thread th = t.thread;
                    if (th != null) {
                        th.interrupt();
                    }
                }
                LOG.log(System.Logger.Level.WARNING, () -> "event loop '" + name + "': " + left.size()
                        + " task(s) did not end within the shutdown timeout of " + timeout + " and were interrupted: "
                        + left.stream().map(t -> "'" + t.name() + "' (" + t.state() + (t.awaitingNow() != null ? ", " + t.awaitingNow() : "") + ")").toList());
                List<TaskSnapshot> s = stragglers;
                notifyListeners("shutdownStragglers", l -> l.shutdownStragglers(name, s));
            }
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Throwable e) {
                    containment.failed(new Containment.Key(c, "close"), "closing " + c, e);
                }
            }
        } finally {
            baton.lock.lock();
            try {
                state = State.CLOSED;
            } finally {
                baton.lock.unlock();
            }
            baton.poke();
            SlowSteps.Watchdog.unregister(this);
            closed.countDown();
        }
        return stragglers;
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + "]";
    }

    // ------------------------------------------------------------------ for the other parts of the loop

    State state() {
        return state;
    }

    int liveTasks() {
        return tasks.size();
    }

    AdmissionSnapshot admissionSnapshot() {
        return admission.snapshot();
    }

    /** Called by the watchdog thread. */
    void watchdogCheck(long wallNow) {
        admission.checkLag(wallNow);
        slow.sample(wallNow);
    }

    /** Registers something to close when the loop closes, after its tasks (streams use it). */
    void onClose(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    /** Undoes {@link #onClose}. */
    void removeOnClose(AutoCloseable closeable) {
        closeables.remove(closeable);
    }

    /** Runs {@code action} on the loop as a callback, or right here if the loop's driver has stopped. */
    void callSoonOrRun(Runnable action) {
        if (state == State.CLOSED) {
            action.run();
        } else {
            callSoonInternal(action);
        }
    }

    /** Schedules an internal action on the loop; accepted until the loop is closed. */
    void callSoonInternal(Runnable action) {
        baton.enqueueCallback(new CallbackHandle(action, true, Long.MIN_VALUE));
    }

    // ------------------------------------------------------------------ thread identity

    /** Whether the calling thread holds this loop's baton. */
    boolean holdsBaton() {
        return baton.holdsBaton();
    }

    /** Whether the caller is this loop's driver or one of its tasks. */
    private boolean isOwnThread() {
        if (DRIVER_OF.isBound() && DRIVER_OF.get() == this) {
            return true;
        }
        TaskImpl<?> t = TaskImpl.current();
        return t != null && t.loop == this;
    }

    /** The loop whose callback is running on this thread, or {@code null}. */
    static @Nullable Loop callbackLoop() {
        return DRIVER_OF.isBound() ? DRIVER_OF.get() : null;
    }

    // ------------------------------------------------------------------ tasks

    void register(TaskImpl<?> t) {
        tasks.put(t.id(), t);
        accounting.taskSpawned();
        if (!listeners.isEmpty()) {
            notifyListeners("taskSpawned", l -> l.taskSpawned(t));
        }
    }

    /** Puts a new task in the ready queue (or gives it the baton if the loop is idle). */
    void schedule(TaskImpl<?> t) {
        register(t);
        baton.makeReady(t, t.spawnedAt);
    }

    /** Called by an ending task, holding the baton. */
    void taskEnded(TaskImpl<?> t, Task.State outcome) {
        accounting.taskEnded(outcome);
        // Removed (so listeners see a loop without it), then announced; shutdown waits for both.
        announcing.incrementAndGet();
        tasks.remove(t.id());
        t.endState(outcome); // after it is unlisted, before anyone hears of its end
        admission.released();
        if (!listeners.isEmpty()) {
            TaskSnapshot last = t.snapshot(outcome); // only for listeners: a loop without them ends a task without one
            notifyListeners("taskEnded", l -> l.taskEnded(last));
        }
        announcing.decrementAndGet();
        if (state != State.OPEN && tasks.isEmpty()) {
            baton.signalIdle();
        }
    }

    /**
     * Tells every listener; what one throws is contained ({@link Containment}): reported once per
     * listener and {@code method} per interval, and the others are told all the same.
     */
    void notifyListeners(String method, Consumer<LoopListener> event) {
        for (LoopListener l : listeners) {
            try {
                event.accept(l);
            } catch (Throwable e) {
                containment.failed(new Containment.Key(l, method), "listener " + l + " (" + method + ")", e);
            }
        }
    }
}
