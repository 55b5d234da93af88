package dev.taskloop.core.internal;

import dev.taskloop.core.Task;
import dev.taskloop.core.spi.LoopSnapshot;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A loop's figures: steps, baton-held time, lag (the ready-to-running delay of every step, in a
 * histogram and to the listeners' lag observers), the tasks' awake and waiting time, the task
 * counters, and the {@link LoopSnapshot} that shows them with the baton's and the slow-step
 * detector's.
 *
 * <p>Thread-safety: the step figures are written by the baton holder (one writer at a time, ordered
 * by the hand-off) and read by anyone through volatile reads; the task counters are written by the
 * spawning thread (atomically) and by the ending task (holding the baton).
 */
final class Accounting {

    /** Whether the loop accounts time at all (the builder's {@code measure}); counters are kept either way. */
    final boolean measure;
    private final Loop loop;
    private final long startTime;
    private volatile long busyNanos;
    private volatile long steps;
    private final LatencyHistogram lag = new LatencyHistogram();
    /** The listeners' lag observers, asked for once per listener; read at every step. */
    private volatile LongConsumer[] lagObservers = new LongConsumer[0];
    private final AtomicLong spawned = new AtomicLong();
    private volatile long completed;
    private volatile long failed;
    private volatile long cancelled;
    /** Tasks running a blocking call through {@code offload} now. */
    final AtomicInteger offloads = new AtomicInteger();

    Accounting(Loop loop, boolean measure) {
        this.loop = loop;
        this.measure = measure;
        this.startTime = loop.ticker.read();
    }

    void lagObservers(LongConsumer[] observers) {
        lagObservers = observers;
    }

    /**
     * Locked, by whoever hands {@code f} the baton at loop time {@code now}: records how long it
     * waited for it and starts its step.
     */
    void stepBegan(Fiber f, long now) {
        if (measure) {
            // A waker reads the ticker before it takes the lock, the holder before it passes the baton: the
            // fiber can be made ready "later" than the now it is handed the baton at. Zero, as the histogram does.
            long waited = Math.max(0, now - f.readyAt);
            lag.record(waited);
            for (LongConsumer o : lagObservers) {
                try {
                    o.accept(waited);
                } catch (Throwable e) {
                    // Under the baton's lock, mid hand-off: contained here, or the baton is left half passed.
                    loop.containment.failed(new Containment.Key(o, "lag"), "lag observer " + o, e);
                }
            }
            if (f instanceof TaskImpl<?> t) {
                t.waitingNanos += waited;
            }
        }
        f.stepStart = now;
        steps++;
    }

    /** Holder: charges {@code self}'s step up to {@code now} to the loop's busy time and its awake time. */
    void stepEnded(Fiber self, long now) {
        long held = Math.max(0, now - self.stepStart);
        self.stepStart = now;
        if (measure) {
            busyNanos += held;
            if (self instanceof TaskImpl<?> t) {
                t.awakeNanos += held;
            }
        }
    }

    /** A task was registered with the loop. */
    void taskSpawned() {
        spawned.incrementAndGet();
    }

    /** Holder: a task ended with {@code outcome}. */
    void taskEnded(Task.State outcome) {
        switch (outcome) {
            case COMPLETED -> completed++;
            case FAILED -> failed++;
            default -> cancelled++;
        }
    }

    /** The loop now; cheap enough to poll from any thread. */
    LoopSnapshot snapshot() {
        Baton b = loop.baton;
        SlowSteps slow = loop.slow;
        Fiber h = b.holder;
        long heldFor = slow.heldForNanos(h);
        return new LoopSnapshot(loop.name, loop.ticker.read(), loop.isClosed(), b.readyDepth(), loop.liveTasks(), offloads.get(),
                spawned.get(), completed, failed, cancelled, busyNanos, loop.ticker.read() - startTime, steps,
                slow.slowSteps(), slow.blockedSteps(), lag.snapshot(),
                h == null ? -1 : h.fiberId(), h == null ? null : h.fiberName(), heldFor, slow.slowNanos, loop.admissionSnapshot());
    }
}
