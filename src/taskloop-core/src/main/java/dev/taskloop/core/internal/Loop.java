package dev.taskloop.core.internal;

import dev.taskloop.core.Admission;
import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.AsyncRunnable;
import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Handle;
import dev.taskloop.core.Task;
import dev.taskloop.core.Ticker;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.core.spi.SlowStep;
import dev.taskloop.core.spi.TaskSnapshot;
import java.time.Duration;
import java.util.ArrayDeque;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The scheduler behind {@link EventLoop}: the baton, the ready queue, the timer queue, the driver
 * and the accounting.
 *
 * <h2>Invariants (all under {@link #lock})</h2>
 * <ul>
 *   <li>At most one fiber has {@code hasBaton == true}, and it is {@link #holder}.</li>
 *   <li>{@code holder == null} implies the ready queue is empty: whoever makes something ready
 *       while the baton is free hands it the baton at once (a task), or to the driver (a callback).</li>
 *   <li>Only the holder fires timers and touches scope trees, groups and primitives; other threads
 *       reach the loop through {@link #makeReady}, {@link #enqueueCallback} and {@link #addTimer}.</li>
 * </ul>
 * The hand-off at an await point is: account the step, fire due timers, pop the head of the ready
 * queue, give it the baton, unpark its thread, park. One lock acquisition and one unpark.
 */
public final class Loop implements EventLoop {

    static final System.Logger LOG = System.getLogger("dev.taskloop.core.EventLoop");

    private static final AtomicInteger LOOP_IDS = new AtomicInteger();
    /** Bound on a loop's driver thread, so that code run by callbacks can be told apart. */
    static final ScopedValue<Loop> DRIVER_OF = ScopedValue.newInstance();

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    final String name;
    final Ticker ticker;
    private final boolean systemTicker;
    final long slowNanos;
    private final Duration shutdownTimeout;
    final boolean measure;
    private final boolean watchdog;

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the loop may have become quiescent, or the last task ended while closing. */
    private final Condition idle = lock.newCondition();
    private int idleWaiters;

    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private long timerSeq;
    /** Deadline of the first timer, {@code Long.MAX_VALUE} without one; read without the lock by {@code yieldNow}. */
    private volatile long nextDeadline = Long.MAX_VALUE;
    volatile Fiber holder;
    private volatile int readyDepth;
    final Driver driver;
    /** What the parked driver waits for: a deadline, MAX (only an unpark), MIN (it is awake). */
    private long driverWaitUntil = Long.MIN_VALUE;
    private volatile int state = OPEN;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile List<TaskSnapshot> stragglers = List.of();

    private final ConcurrentHashMap<Long, TaskImpl<?>> tasks = new ConcurrentHashMap<>();
    final CopyOnWriteArrayList<LoopListener> listeners;
    /** The listeners' lag observers, asked for once per listener; read at every step. */
    private volatile LongConsumer[] lagObservers = new LongConsumer[0];
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final AdmissionControl admission;
    /** Tasks removed from {@link #tasks} whose end the listeners have not heard of yet. */
    private final AtomicInteger announcing = new AtomicInteger();
    final AtomicInteger offloads = new AtomicInteger();

    // Accounting, written by the baton holder (one writer at a time, ordered by the hand-off).
    private final long startTime;
    private volatile long busyNanos;
    private volatile long steps;
    private volatile long slowSteps;
    volatile long blockedSteps;
    private final LatencyHistogram lag = new LatencyHistogram();
    private final AtomicLong spawned = new AtomicLong();
    private volatile long completed;
    private volatile long failed;
    private volatile long cancelled;
    // For the watchdog: which step is running and since when (wall time).
    volatile long stepSeq;
    volatile long stepStartWall;
    /** The step the watchdog saw blocked (so the step's end reports it as blocked). */
    volatile long blockedSeq = -1;
    /** The last step the end-of-step slow check counted. */
    private long slowCheckedSeq = -1;
    // Watchdog-thread-only state.
    long wdSeq = -1;
    long wdNextReport;

    public Loop(String name, Ticker ticker, Duration slowStepThreshold, Duration shutdownTimeout,
                boolean watchdog, boolean measure, Admission admission, List<LoopListener> listeners) {
        this.name = name == null || name.isBlank() ? "loop-" + LOOP_IDS.incrementAndGet() : name;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.systemTicker = ticker == Ticker.system();
        this.slowNanos = Checks.saturatedNanos(Checks.positive("slowStepThreshold", slowStepThreshold));
        this.shutdownTimeout = Checks.nonNegative("shutdownTimeout", shutdownTimeout);
        this.measure = measure;
        this.watchdog = watchdog;
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        this.admission = new AdmissionControl(this, Objects.requireNonNull(admission, "admission"));
        refreshLagObservers();
        this.startTime = ticker.read();
        this.driver = new Driver(this);
        driver.start();
        if (watchdog || this.admission.hasLagSlo()) {
            Watchdog.register(this);
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
    public <T> Task<T> spawn(String name, AsyncCallable<T, ?> body) {
        Objects.requireNonNull(body, "body");
        if (state != OPEN) {
            throw new RejectedExecutionException("event loop '" + this.name + "' is "
                    + (state == CLOSING ? "shutting down" : "closed") + "; cannot spawn task '"
                    + (name == null ? "(unnamed)" : name) + "': spawn on a loop that is open (EventLoop.create()), "
                    + "or spawn into a TaskGroup of a running task");
        }
        if (!admit(name)) {
            return TaskImpl.shed(this, name, shedReason());
        }
        if (state != OPEN) {
            admission.released();
            throw new RejectedExecutionException("event loop '" + this.name + "' closed while task '"
                    + (name == null ? "(unnamed)" : name) + "' waited for admission");
        }
        TaskImpl<T> t = new TaskImpl<>(this, name, body, null);
        schedule(t);
        return t;
    }

    /** Admission control for a new task (see {@link Admission}); {@code false}: shed it. */
    boolean admit(String taskName) {
        return admission.admit(taskName);
    }

    /** The cancellation of a task that admission control sheds now. */
    CancelReason shedReason() {
        return CancelReason.of(CancelOrigin.ADMISSION, "shed by admission control of event loop '" + name + "': " + admission.reason());
    }

    @Override
    public Task<Void> spawn(String name, AsyncRunnable<?> body) {
        Objects.requireNonNull(body, "body");
        return spawn(name, Bodies.callable(body));
    }

    @Override
    public Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        requireOpen("callSoon");
        CallbackHandle h = new CallbackHandle(callback, false, Long.MIN_VALUE);
        enqueueCallback(h);
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
        addTimer(h);
        return h;
    }

    private void requireOpen(String what) {
        if (state == CLOSED) {
            throw new RejectedExecutionException("event loop '" + name + "' is closed; " + what + " rejected");
        }
    }

    @Override
    public Collection<Task<?>> tasks() {
        return List.copyOf(tasks.values());
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
        lagObservers = listeners.stream().map(LoopListener::lagObserver).filter(Objects::nonNull).toArray(LongConsumer[]::new);
    }

    @Override
    public boolean isClosed() {
        return state != OPEN;
    }

    @Override
    public LoopSnapshot snapshot() {
        Fiber h = holder;
        long heldFor = h == null ? 0 : Math.max(0, System.nanoTime() - stepStartWall);
        return new LoopSnapshot(name, ticker.read(), state != OPEN, readyDepth, tasks.size(), offloads.get(),
                spawned.get(), completed, failed, cancelled, busyNanos, ticker.read() - startTime, steps,
                slowSteps, blockedSteps, lag.snapshot(),
                h == null ? -1 : h.fiberId(), h == null ? null : h.fiberName(), heldFor, slowNanos, admission.snapshot());
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
        lock.lock();
        try {
            first = state == OPEN;
            if (first) {
                state = CLOSING;
            }
        } finally {
            lock.unlock();
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
            enqueueCallback(new CallbackHandle(() -> {
                for (TaskImpl<?> t : tasks.values()) {
                    t.cancelNow(reason);
                }
            }, true, Long.MIN_VALUE));
            if (!awaitAllEnded(timeoutNanos)) {
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
                notifyListeners(l -> l.shutdownStragglers(name, s));
            }
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "event loop '" + name + "': closing " + c + " failed", e);
                }
            }
        } finally {
            lock.lock();
            try {
                state = CLOSED;
            } finally {
                lock.unlock();
            }
            LockSupport.unpark(driver.thread);
            Watchdog.unregister(this);
            closed.countDown();
        }
        return stragglers;
    }

    /** Registers something to close when the loop closes, after its tasks (streams use it). */
    public void onClose(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    /** Undoes {@link #onClose}. */
    public void removeOnClose(AutoCloseable closeable) {
        closeables.remove(closeable);
    }

    private boolean awaitAllEnded(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (!tasks.isEmpty() || announcing.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idleWaiters++;
                try {
                    idle.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return tasks.isEmpty();
                } finally {
                    idleWaiters--;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + "]";
    }

    // ------------------------------------------------------------------ thread identity

    /** Whether the calling thread holds this loop's baton. */
    boolean holdsBaton() {
        Fiber h = holder;
        return h != null && h.thread == Thread.currentThread();
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
    static Loop callbackLoop() {
        return DRIVER_OF.isBound() ? DRIVER_OF.get() : null;
    }

    // ------------------------------------------------------------------ tasks

    void register(TaskImpl<?> t) {
        tasks.put(t.id(), t);
        spawned.incrementAndGet();
        if (!listeners.isEmpty()) {
            notifyListeners(l -> l.taskSpawned(t));
        }
    }

    /** Puts a new task in the ready queue (or gives it the baton if the loop is idle). */
    void schedule(TaskImpl<?> t) {
        register(t);
        makeReady(t, t.spawnedAt);
    }

    /** Called by an ending task, holding the baton. */
    void taskEnded(TaskImpl<?> t, Task.State outcome, TaskSnapshot last) {
        switch (outcome) {
            case COMPLETED -> completed++;
            case FAILED -> failed++;
            default -> cancelled++;
        }
        // Removed (so listeners see a loop without it), then announced; shutdown waits for both.
        announcing.incrementAndGet();
        tasks.remove(t.id());
        admission.released();
        if (!listeners.isEmpty()) {
            notifyListeners(l -> l.taskEnded(last));
        }
        announcing.decrementAndGet();
        if (state != OPEN && tasks.isEmpty()) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    void notifyListeners(Consumer<LoopListener> event) {
        for (LoopListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "event loop '" + name + "': listener " + l + " failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ the baton

    /**
     * Makes {@code f} ready, as of loop time {@code readyAt}: appends it to the ready queue, or,
     * if the baton is free, gives it the baton and runs it. Any thread.
     */
    void makeReady(Fiber f, long readyAt) {
        boolean direct = false;
        lock.lock();
        try {
            if (f instanceof TaskImpl<?> t) {
                t.becameReady(readyAt);
            }
            f.readyAt = readyAt;
            if (holder == null) {
                beginStep(f, Math.max(readyAt, ticker.read()));
                direct = true;
            } else {
                ready.add(f);
                readyDepth++;
            }
        } finally {
            lock.unlock();
        }
        if (direct && f.thread != Thread.currentThread()) {
            f.resume();
        }
    }

    /** Called by the holder {@code self} at an await point, after registering what wakes it: runs the others until its turn comes back. */
    void suspend(Fiber self, long now) {
        handOff(self, now);
        self.awaitBaton();
    }

    /**
     * Called by the holder {@code self} when it stops holding the baton without parking (offload,
     * task end). {@code since} is when the caller read the time; the step ends now, read again, so
     * that work done after that read (formatting, listeners) is charged to {@code self}, not to the
     * next holder.
     */
    void handOff(Fiber self, long since) {
        long now = Math.max(since, ticker.read());
        endStep(self, now);
        Fiber next;
        lock.lock();
        try {
            next = passLocked(self, now);
        } finally {
            lock.unlock();
        }
        if (next != null && next != self) {
            next.resume();
        }
    }

    /** Puts the holder at the tail of the ready queue and runs the others first (asyncio's {@code sleep(0)}). */
    void yieldBaton(TaskImpl<?> self, long since) {
        long now = Math.max(since, ticker.read());
        endStep(self, now);
        Fiber next;
        lock.lock();
        try {
            self.becameReady(now);
            self.readyAt = now;
            ready.add(self);
            readyDepth++;
            next = passLocked(self, now);
        } finally {
            lock.unlock();
        }
        if (next != self) {
            if (next != null) {
                next.resume();
            }
            self.awaitBaton();
        }
    }

    /** Whether {@code yieldNow} has anything to yield to; read without the lock (a racy hint is fine). */
    boolean othersReady() {
        if (readyDepth > 0) {
            return true;
        }
        long d = nextDeadline;
        return d != Long.MAX_VALUE && d <= ticker.read();
    }

    private Fiber passLocked(Fiber self, long now) {
        // The holder stays set while timers fire, so that what they wake is queued, not handed the baton.
        self.hasBaton = false;
        if (!timers.isEmpty()) {
            fireDueLocked(now);
        }
        Object head = ready.poll();
        if (head == null) {
            holder = null;
            goIdleLocked();
            return null;
        }
        readyDepth--;
        Fiber next;
        if (head instanceof Fiber f) {
            next = f;
        } else {
            ready.addFirst(head);
            readyDepth++;
            next = driver;
            driver.readyAt = ((CallbackHandle) head).readyAt;
        }
        beginStep(next, now);
        return next;
    }

    private void beginStep(Fiber f, long now) {
        holder = f;
        f.hasBaton = true;
        if (measure) {
            // A waker reads the ticker before it takes the lock, the holder before it passes the baton: the
            // fiber can be made ready "later" than the now it is handed the baton at. Zero, as the histogram does.
            long waited = Math.max(0, now - f.readyAt);
            lag.record(waited);
            for (LongConsumer o : lagObservers) {
                try {
                    o.accept(waited);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event loop '" + name + "': lag observer " + o + " failed", e);
                }
            }
            if (f instanceof TaskImpl<?> t) {
                t.waitingNanos += waited;
            }
        }
        f.stepStart = now;
        if (f instanceof TaskImpl<?> t) {
            t.startedStep();
        }
        stepStartWall = systemTicker ? now : System.nanoTime();
        stepSeq++;
        steps++;
    }

    /**
     * Accounts the holder's step up to {@code now}. May be called again later in the same step (a
     * task's end accounts its step before its final snapshot, then the rest at the hand-off); the
     * slow-step check counts each step once.
     */
    void endStep(Fiber self, long now) {
        long wallNow = systemTicker ? now : System.nanoTime();
        long held = Math.max(0, now - self.stepStart);
        self.stepStart = now;
        if (measure) {
            busyNanos += held;
            if (self instanceof TaskImpl<?> t) {
                t.awakeNanos += held;
            }
        }
        long wallHeld = wallNow - stepStartWall;
        if (wallHeld >= slowNanos && slowCheckedSeq != stepSeq) {
            slowCheckedSeq = stepSeq;
            slowSteps++;
            boolean blocked = blockedSeq == stepSeq;
            reportSlowStep(new SlowStep(name, self.fiberId(), self.fiberName(), Duration.ofNanos(wallHeld),
                    Duration.ofNanos(slowNanos), false, blocked, null, List.of()));
        }
    }

    private void goIdleLocked() {
        if (idleWaiters > 0) {
            idle.signalAll();
        }
        if (nextDeadline < driverWaitUntil) {
            LockSupport.unpark(driver.thread);
        }
    }

    // ------------------------------------------------------------------ timers and callbacks

    void addTimer(Timer t) {
        lock.lock();
        try {
            t.seq = ++timerSeq;
            timers.add(t);
            if (t.deadline < nextDeadline) {
                nextDeadline = t.deadline;
                if (holder == null && t.deadline < driverWaitUntil) {
                    LockSupport.unpark(driver.thread);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    void removeTimer(Timer t) {
        lock.lock();
        try {
            if (t.isScheduled()) {
                timers.remove(t);
                Timer top = timers.peek();
                nextDeadline = top == null ? Long.MAX_VALUE : top.deadline;
            }
        } finally {
            lock.unlock();
        }
    }

    private void fireDueLocked(long now) {
        Timer top;
        while ((top = timers.peek()) != null && top.deadline <= now) {
            timers.poll();
            top.fire(this, now);
        }
        nextDeadline = top == null ? Long.MAX_VALUE : top.deadline;
    }

    /** Runs {@code action} on the loop as a callback, or right here if the loop's driver has stopped. */
    void callSoonOrRun(Runnable action) {
        if (state == CLOSED) {
            action.run();
        } else {
            callSoonInternal(action);
        }
    }

    /** Schedules an internal action on the loop; accepted until the loop is closed. */
    void callSoonInternal(Runnable action) {
        enqueueCallback(new CallbackHandle(action, true, Long.MIN_VALUE));
    }

    void enqueueCallback(CallbackHandle h) {
        lock.lock();
        try {
            enqueueCallbackLocked(h, ticker.read());
        } finally {
            lock.unlock();
        }
    }

    void enqueueCallbackLocked(CallbackHandle h, long readyAt) {
        h.readyAt = readyAt;
        if (holder == null) {
            driver.readyAt = readyAt;
            ready.add(h);
            readyDepth++;
            beginStep(driver, Math.max(readyAt, ticker.read()));
            LockSupport.unpark(driver.thread);
        } else {
            ready.add(h);
            readyDepth++;
        }
    }

    // ------------------------------------------------------------------ quiescence (tests)

    /**
     * Waits (wall time) until the loop is quiescent: the baton is free, nothing is ready, no timer
     * is due at the current time and no offloaded call is running.
     *
     * @return whether it became quiescent in time
     */
    public boolean awaitQuiescent(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (!quiescentLocked()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idleWaiters++;
                try {
                    // Offloads and due timers end without an idle signal of their own: re-check often.
                    idle.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return quiescentLocked();
                } finally {
                    idleWaiters--;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean quiescentLocked() {
        return holder == null && ready.isEmpty() && offloads.get() == 0 && nextDeadline > ticker.read();
    }

    /** The first timer's deadline, {@code Long.MAX_VALUE} without timers. */
    public long nextTimerDeadline() {
        return nextDeadline;
    }

    /** Wakes the driver so it looks at the time again (after a manual ticker moved). */
    public void poke() {
        LockSupport.unpark(driver.thread);
    }

    // ------------------------------------------------------------------ slow steps

    void reportSlowStep(SlowStep step) {
        if (step.ongoing()) {
            StringBuilder sb = new StringBuilder(step.describe());
            for (StackTraceElement e : step.stack()) {
                sb.append("\n\tat ").append(e);
            }
            LOG.log(System.Logger.Level.WARNING, sb.toString());
        } else {
            LOG.log(System.Logger.Level.WARNING, step.describe());
        }
        if (!listeners.isEmpty()) {
            notifyListeners(l -> l.slowStep(step));
        }
    }

    /** Called by the watchdog thread. */
    void watchdogCheck(long wallNow) {
        admission.checkLag(wallNow);
        if (!watchdog) {
            return;
        }
        Fiber h = holder;
        if (h == null) {
            return;
        }
        long seq = stepSeq;
        long held = wallNow - stepStartWall;
        if (held < slowNanos) {
            return;
        }
        if (seq != wdSeq) {
            wdSeq = seq;
            wdNextReport = slowNanos;
        }
        if (held < wdNextReport) {
            return;
        }
        Thread th = h.thread;
        if (th == null) {
            return;
        }
        Thread.State ts = th.getState();
        StackTraceElement[] stack = th.getStackTrace();
        if (stepSeq != seq || holder != h) {
            return;
        }
        boolean blocked = ts == Thread.State.WAITING || ts == Thread.State.TIMED_WAITING || ts == Thread.State.BLOCKED;
        if (blocked && blockedSeq != seq) {
            blockedSeq = seq;
            blockedSteps++;
        }
        wdNextReport = held * 2;
        reportSlowStep(new SlowStep(name, h.fiberId(), h.fiberName(), Duration.ofNanos(held), Duration.ofNanos(slowNanos),
                true, blocked, ts, List.of(stack)));
    }

    // ------------------------------------------------------------------ the driver

    /**
     * The loop's own fiber: fires timers while no task holds the baton and runs callbacks when they
     * reach the head of the ready queue. Its thread parks until the next deadline otherwise.
     */
    static final class Driver extends Fiber {
        Driver(Loop loop) {
            super(loop);
        }

        @Override
        void start() {
            Thread t = Thread.ofVirtual().name("taskloop-" + loop.name).unstarted(
                    () -> ScopedValue.where(DRIVER_OF, loop).run(this::runLoop));
            thread = t;
            t.start();
        }

        @Override
        long fiberId() {
            return -1;
        }

        @Override
        String fiberName() {
            return "<callbacks>";
        }

        private void runLoop() {
            Loop l = loop;
            while (true) {
                boolean run = false;
                long waitUntil;
                l.lock.lock();
                try {
                    if (l.holder == this) {
                        run = true;
                    } else if (l.holder == null) {
                        if (l.state == CLOSED) {
                            return;
                        }
                        long now = l.ticker.read();
                        if (l.nextDeadline <= now) {
                            readyAt = now;
                            l.beginStep(this, now);
                            run = true;
                        }
                    } else if (l.state == CLOSED) {
                        return;
                    }
                    waitUntil = run ? Long.MIN_VALUE : (l.holder == null ? l.nextDeadline : Long.MAX_VALUE);
                    l.driverWaitUntil = waitUntil;
                } finally {
                    l.lock.unlock();
                }
                if (run) {
                    runCallbacks();
                } else if (waitUntil == Long.MAX_VALUE) {
                    LockSupport.park(l);
                } else {
                    l.ticker.parkUntil(waitUntil);
                }
                Thread.interrupted();
            }
        }

        /** Holding the baton: fire due timers, run the callbacks at the head of the queue, pass the baton on. */
        private void runCallbacks() {
            Loop l = loop;
            while (true) {
                CallbackHandle cb = null;
                Fiber next = null;
                long now = l.ticker.read();
                l.lock.lock();
                try {
                    if (!l.timers.isEmpty()) {
                        l.fireDueLocked(now);
                    }
                    if (l.ready.peek() instanceof CallbackHandle h) {
                        l.ready.poll();
                        l.readyDepth--;
                        cb = h;
                    }
                } finally {
                    l.lock.unlock();
                }
                if (cb == null) {
                    l.endStep(this, now);
                    l.lock.lock();
                    try {
                        next = l.passLocked(this, now);
                    } finally {
                        l.lock.unlock();
                    }
                    if (next != null && next != this) {
                        next.resume();
                    }
                    return;
                }
                try {
                    cb.runIfPending();
                } catch (Throwable e) {
                    CallbackHandle failed = cb;
                    LOG.log(System.Logger.Level.ERROR, "event loop '" + l.name + "': " + failed + " threw", e);
                    l.notifyListeners(x -> x.callbackFailed(String.valueOf(failed.callback), e));
                }
            }
        }
    }
}
