package dev.taskloop.core.internal;

import dev.taskloop.core.Ticker;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A loop's baton: who holds it, the FIFO ready queue of those waiting for it, the timer queue, the
 * hand-off between them and the {@link Driver} that runs callbacks and fires timers while no task
 * is ready.
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
 *
 * <p>Thread-safety: every method may be called from any thread unless it says "holder" (the calling
 * thread holds the baton) or "locked" (the caller holds {@link #lock}).
 */
final class Baton {

    /**
     * What the ready queue holds: a fiber (a task, or the driver given the baton for a due timer)
     * or a callback that the driver runs when it reaches the head. Sealed, so that the hand-off
     * knows every kind of entry there is.
     */
    sealed interface Entry permits Fiber, CallbackHandle {
    }

    private final Loop loop;
    private final Ticker ticker;
    private final Accounting accounting;
    private final SlowSteps slow;

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the loop may have become quiescent, or the last task ended while closing. */
    private final Condition idle = lock.newCondition();
    private int idleWaiters;

    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private long timerSeq;
    /** Deadline of the first timer, {@code Long.MAX_VALUE} without one; read without the lock by {@code yieldNow}. */
    private volatile long nextDeadline = Long.MAX_VALUE;
    volatile @Nullable Fiber holder;
    private volatile int readyDepth;
    final Driver driver;
    /** What the parked driver waits for: a deadline, MAX (only an unpark), MIN (it is awake). */
    private long driverWaitUntil = Long.MIN_VALUE;

    Baton(Loop loop, Accounting accounting, SlowSteps slow) {
        this.loop = loop;
        this.ticker = loop.ticker;
        this.accounting = accounting;
        this.slow = slow;
        this.driver = new Driver(loop, this);
    }

    /** Whether the calling thread holds the baton. */
    boolean holdsBaton() {
        Fiber h = holder;
        return h != null && h.thread == Thread.currentThread();
    }

    /** Tasks and callbacks in the ready queue now. */
    int readyDepth() {
        return readyDepth;
    }

    // ------------------------------------------------------------------ the hand-off

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

    /** Locked, by the holder {@code self}: fires due timers and gives the baton to the head of the ready queue, or frees it. */
    private @Nullable Fiber passLocked(Fiber self, long now) {
        // The holder stays set while timers fire, so that what they wake is queued, not handed the baton.
        self.hasBaton = false;
        if (!timers.isEmpty()) {
            fireDueLocked(now);
        }
        Entry head = ready.poll();
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
            // A callback (the only other kind of entry): the driver takes the baton and runs it from the head.
            ready.addFirst(head);
            readyDepth++;
            next = driver;
            driver.readyAt = ((CallbackHandle) head).readyAt;
        }
        beginStep(next, now);
        return next;
    }

    /** Locked: {@code f} takes the baton at loop time {@code now}. */
    private void beginStep(Fiber f, long now) {
        holder = f;
        f.hasBaton = true;
        accounting.stepBegan(f, now);
        if (f instanceof TaskImpl<?> t) {
            t.startedStep();
        }
        slow.stepBegan(now);
    }

    /**
     * Holder: ends the accounting of {@code self}'s step up to {@code now}, and checks it for
     * slowness. May be called again later in the same step (a task's end accounts its step before
     * its final snapshot, then the rest at the hand-off); the slow-step check counts each step once.
     */
    void endStep(Fiber self, long now) {
        accounting.stepEnded(self, now);
        slow.stepEnded(self, now);
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

    void enqueueCallback(CallbackHandle h) {
        lock.lock();
        try {
            enqueueCallbackLocked(h, ticker.read());
        } finally {
            lock.unlock();
        }
    }

    /** Locked: appends a callback to the ready queue; with the baton free, the driver takes it and runs it. */
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

    // ------------------------------------------------------------------ waiting for the loop to go idle

    /**
     * Waits (wall time) until {@code done} holds, checked under the lock whenever the loop may have
     * gone idle (a step passed the baton on to nobody, a task ended while closing) and at least
     * every {@code recheckNanos}. An interrupt ends the wait early: it is kept, and the answer is
     * then {@code onInterrupt}'s.
     *
     * @return whether {@code done} held in time
     */
    boolean awaitIdle(BooleanSupplier done, BooleanSupplier onInterrupt, long timeoutNanos, long recheckNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idleWaiters++;
                try {
                    idle.awaitNanos(Math.min(left, recheckNanos));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return onInterrupt.getAsBoolean();
                } finally {
                    idleWaiters--;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes {@link #awaitIdle} waiters (the last task ended while the loop closes). */
    void signalIdle() {
        lock.lock();
        try {
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (wall time) until the loop is quiescent: the baton is free, nothing is ready, no timer
     * is due at the current time and no offloaded call is running.
     *
     * @return whether it became quiescent in time
     */
    boolean awaitQuiescent(long timeoutNanos) {
        // Offloads and due timers end without an idle signal of their own: re-check often.
        return awaitIdle(this::quiescentLocked, this::quiescentLocked, timeoutNanos, TimeUnit.MILLISECONDS.toNanos(5));
    }

    private boolean quiescentLocked() {
        return holder == null && ready.isEmpty() && accounting.offloads.get() == 0 && nextDeadline > ticker.read();
    }

    /** The first timer's deadline, {@code Long.MAX_VALUE} without timers. */
    long nextTimerDeadline() {
        return nextDeadline;
    }

    /** Wakes the driver so it looks at the time again (after a manual ticker moved, or the loop closed). */
    void poke() {
        LockSupport.unpark(driver.thread);
    }

    // ------------------------------------------------------------------ the driver

    /**
     * The loop's own fiber: fires timers while no task holds the baton and runs callbacks when they
     * reach the head of the ready queue. Its thread parks until the next deadline otherwise.
     */
    static final class Driver extends Fiber {
        Driver(Loop loop, Baton baton) {
            super(loop, baton);
        }

        @Override
        void start() {
            Thread t = loop.carriers.newThread("taskloop-" + loop.name, null,
                    () -> ScopedValue.where(Loop.DRIVER_OF, loop).run(this::runLoop));
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
            Baton b = baton;
            while (true) {
                boolean run = false;
                long waitUntil;
                b.lock.lock();
                try {
                    if (b.holder == this) {
                        run = true;
                    } else if (b.holder == null) {
                        if (loop.state() == Loop.State.CLOSED) {
                            return;
                        }
                        long now = b.ticker.read();
                        if (b.nextDeadline <= now) {
                            readyAt = now;
                            b.beginStep(this, now);
                            run = true;
                        }
                    } else if (loop.state() == Loop.State.CLOSED) {
                        return;
                    }
                    waitUntil = run ? Long.MIN_VALUE : (b.holder == null ? b.nextDeadline : Long.MAX_VALUE);
                    b.driverWaitUntil = waitUntil;
                } finally {
                    b.lock.unlock();
                }
                if (run) {
                    runCallbacks();
                } else if (waitUntil == Long.MAX_VALUE) {
                    LockSupport.park(loop);
                } else {
                    b.ticker.parkUntil(waitUntil);
                }
                Thread.interrupted();
            }
        }

        /** Holding the baton: fire due timers, run the callbacks at the head of the queue, pass the baton on. */
        private void runCallbacks() {
            Baton b = baton;
            while (true) {
                CallbackHandle cb = null;
                Fiber next = null;
                long now = b.ticker.read();
                b.lock.lock();
                try {
                    if (!b.timers.isEmpty()) {
                        b.fireDueLocked(now);
                    }
                    if (b.ready.peek() instanceof CallbackHandle h) {
                        b.ready.poll();
                        b.readyDepth--;
                        cb = h;
                    }
                } finally {
                    b.lock.unlock();
                }
                if (cb == null) {
                    b.endStep(this, now);
                    b.lock.lock();
                    try {
                        next = b.passLocked(this, now);
                    } finally {
                        b.lock.unlock();
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
                    Loop.LOG.log(System.Logger.Level.ERROR, "event loop '" + loop.name + "': " + failed + " threw", e);
                    loop.notifyListeners("callbackFailed", x -> x.callbackFailed(String.valueOf(failed.callback), e));
                }
            }
        }
    }
}
