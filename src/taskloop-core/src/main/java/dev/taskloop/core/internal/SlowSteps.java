package dev.taskloop.core.internal;

import dev.taskloop.core.Ticker;
import dev.taskloop.core.spi.Describe;
import dev.taskloop.core.spi.RepeatedReports;
import dev.taskloop.core.spi.SlowStep;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Slow-step detection of one loop (wall time, whatever its ticker): a step that held the baton for
 * at least the threshold is reported by the {@link Watchdog} while it is still running, again each
 * time its holding time doubles (with the holder's live stack and thread state, so a slow step says
 * who and where while it lasts), and by the holder when the step ends, and counted once. The log is rate-limited per
 * loop ({@link RepeatedReports}): the first report of a burst with its stack, then a summary line
 * per report interval; the listeners get every report. The log hears of a step still running only
 * once it has held the baton for {@link #LOG_STACK_AFTER} (1 s) and twice the threshold, with its
 * stack (Vert.x's blocked-thread checker likewise logs a stack only past its
 * {@code warningExceptionTime}): a shorter slow step, such as a cold JVM's first run of some code
 * (class loading, a library starting: 100 to 300 ms seen on a loaded machine), logs one line at its
 * end without a stack, and its stack stays in the listeners' reports. A step whose holder the watchdog saw parked
 * in a wait that is not a Taskloop await point counts as blocked.
 *
 * <p>Thread-safety: {@link #stepBegan} and {@link #stepEnded} are called by the baton holder, one
 * at a time; {@link #sample} by the watchdog thread; the step's sequence number and start time are
 * volatile between the two.
 */
final class SlowSteps {

    /** How long a step still running must have held the baton before the log gets its stack (and at least twice the threshold). */
    static final Duration LOG_STACK_AFTER = Duration.ofSeconds(1);

    private final Loop loop;
    /** The slow-step threshold. */
    final long slowNanos;
    /** Whether the watchdog reports slow steps of this loop while they last (it may sample the loop for admission alone). */
    private final boolean watchdog;
    /** A system ticker reads wall time already: its readings serve as the step's wall times. */
    private final boolean systemTicker;

    // Which step is running and since when (wall time): written by the holder, read by the watchdog.
    private volatile long stepSeq;
    private volatile long stepStartWall;
    /** The step the watchdog saw blocked (so the step's end reports it as blocked). */
    private volatile long blockedSeq = -1;
    /** The last step the end-of-step slow check counted. */
    private long slowCheckedSeq = -1;
    private volatile long slowSteps;
    private volatile long blockedSteps;
    // Watchdog-thread-only state.
    private long wdSeq = -1;
    private long wdNextReport;

    /** When a running step's report goes to the log, with its stack: {@link #LOG_STACK_AFTER}, and twice the threshold. */
    private final long logStackNanos;
    /** The log's rate limit for this loop's slow-step reports. */
    private final RepeatedReports logged;

    SlowSteps(Loop loop, Duration threshold, boolean watchdog, Duration reportInterval) {
        this.loop = loop;
        this.logged = new RepeatedReports("loop '" + loop.name + "': slow steps", "report(s)",
                "logged once per interval; each with its stack in the taskloop endpoint", Checks.nonNegative("reportInterval", reportInterval));
        this.slowNanos = Checks.saturatedNanos(Checks.positive("slowStepThreshold", threshold));
        this.logStackNanos = Math.max(LOG_STACK_AFTER.toNanos(), slowNanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : slowNanos * 2);
        this.watchdog = watchdog;
        this.systemTicker = loop.ticker == Ticker.system();
    }

    /** Locked, by whoever hands the baton over: a step begins at loop time {@code now}. */
    void stepBegan(long now) {
        stepStartWall = systemTicker ? now : System.nanoTime();
        stepSeq++;
    }

    /** Holder: the step of {@code self} ends (or is accounted so far) at loop time {@code now}; reports it if it was slow. */
    void stepEnded(Fiber self, long now) {
        long wallNow = systemTicker ? now : System.nanoTime();
        long wallHeld = wallNow - stepStartWall;
        if (wallHeld >= slowNanos && slowCheckedSeq != stepSeq) {
            slowCheckedSeq = stepSeq;
            slowSteps++;
            boolean blocked = blockedSeq == stepSeq;
            report(new SlowStep(loop.name, self.fiberId(), self.fiberName(), Duration.ofNanos(wallHeld),
                    Duration.ofNanos(slowNanos), false, blocked, null, List.of()));
        }
    }

    /** How long {@code holder}, the baton's holder now, has held it (wall time); 0 without one. */
    long heldForNanos(@Nullable Fiber holder) {
        return holder == null ? 0 : Math.max(0, System.nanoTime() - stepStartWall);
    }

    long slowSteps() {
        return slowSteps;
    }

    long blockedSteps() {
        return blockedSteps;
    }

    /**
     * Called by the watchdog thread: reports the current step if it has held the baton past the
     * threshold, again each time its holding time doubles.
     */
    void sample(long wallNow) {
        if (!watchdog) {
            return;
        }
        String summary = logged.due(wallNow);
        if (summary != null) {
            Loop.LOG.log(System.Logger.Level.WARNING, summary);
        }
        Baton b = loop.baton;
        Fiber h = b.holder;
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
        if (stepSeq != seq || b.holder != h) {
            return;
        }
        boolean blocked = ts == Thread.State.WAITING || ts == Thread.State.TIMED_WAITING || ts == Thread.State.BLOCKED;
        if (blocked && blockedSeq != seq) {
            blockedSeq = seq;
            blockedSteps++;
        }
        // Doubling, and once exactly at the log's point, so that a step just past it still logs its stack while it lasts.
        wdNextReport = held < logStackNanos ? Math.min(held * 2, logStackNanos) : held * 2;
        report(new SlowStep(loop.name, h.fiberId(), h.fiberName(), Duration.ofNanos(held), Duration.ofNanos(slowNanos),
                true, blocked, ts, List.of(stack)));
    }

    private void report(SlowStep step) {
        if (step.ongoing() && step.heldFor().toNanos() < logStackNanos) {
            // The log waits for the re-report at logStackNanos: a one-off hiccup of a cold JVM
            // (class loading, a carrier thread starting) logs only its end-of-step line, no stack.
            if (!loop.listeners.isEmpty()) {
                loop.notifyListeners("slowStep", l -> l.slowStep(step));
            }
            return;
        }
        RepeatedReports.Decision d = logged.offer(System.nanoTime(), step.describe());
        if (d.summary() != null) {
            Loop.LOG.log(System.Logger.Level.WARNING, d.summary());
        }
        if (!d.full()) {
            // counted for the next summary line; the listeners (the endpoint) still get it with its stack
        } else if (step.ongoing()) {
            StringBuilder sb = new StringBuilder(step.describe());
            for (String e : Describe.stack(step.stack())) {
                sb.append(e.startsWith("... ") ? "\n\t" : "\n\tat ").append(e); // bounded: a deep recursion is 100 frames, then a count
            }
            Loop.LOG.log(System.Logger.Level.WARNING, sb.toString());
        } else {
            Loop.LOG.log(System.Logger.Level.WARNING, step.describe());
        }
        if (!loop.listeners.isEmpty()) {
            loop.notifyListeners("slowStep", l -> l.slowStep(step));
        }
    }

    /**
     * One platform daemon thread for the JVM that samples every registered loop and reports a step
     * still holding the baton past the slow-step threshold, with the holder's live stack (Vert.x's
     * {@code BlockedThreadChecker}); it also feeds admission control its lag window. A platform
     * thread, so that it runs even when every carrier of the virtual-thread scheduler is busy.
     */
    static final class Watchdog {
        private static final CopyOnWriteArrayList<Loop> LOOPS = new CopyOnWriteArrayList<>();
        private static @Nullable Thread thread;

        private Watchdog() {
        }

        static synchronized void register(Loop loop) {
            LOOPS.add(loop);
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("taskloop-watchdog").start(Watchdog::run);
            }
            LockSupport.unpark(thread);
        }

        static void unregister(Loop loop) {
            LOOPS.remove(loop);
        }

        private static void run() {
            while (true) {
                long interval = TimeUnit.MILLISECONDS.toNanos(50);
                for (Loop l : LOOPS) {
                    interval = Math.min(interval, Math.max(TimeUnit.MILLISECONDS.toNanos(1), l.slow.slowNanos / 10));
                }
                if (LOOPS.isEmpty()) {
                    LockSupport.park();
                    continue;
                }
                LockSupport.parkNanos(interval);
                long now = System.nanoTime();
                for (Loop l : LOOPS) {
                    try {
                        l.watchdogCheck(now);
                    } catch (RuntimeException | Error e) {
                        Loop.LOG.log(System.Logger.Level.WARNING, "watchdog failed to check event loop '" + l.name + "'", e);
                    }
                }
            }
        }
    }
}
