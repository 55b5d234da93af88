package dev.taskloop.core.testing;

import dev.taskloop.core.Ticker;
import dev.taskloop.core.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Ticker} that moves only when told to (Trio's {@code MockClock}): virtual time for tests.
 * A task may call {@link #advance} while it holds the baton to model computation that takes time.
 *
 * <p>In <em>auto-jump</em> mode, a loop that has nothing to do before its next timer jumps the time
 * straight to that timer's deadline, so sleeps and timeouts take no wall time at all (Trio's
 * {@code autojump_threshold=0}). Offloaded blocking calls still take real time: auto-jump does
 * not wait for them.
 *
 * <p>Thread-safe. Time never goes backwards.
 *
 * @since 0.1.0
 */
public final class ManualTicker implements Ticker {

    private final AtomicLong now;
    private volatile boolean autoJump;
    private final Set<Thread> parked = ConcurrentHashMap.newKeySet();

    /** A ticker at time 0. */
    public ManualTicker() {
        this(0);
    }

    /** A ticker at time {@code start} (nanoseconds). */
    public ManualTicker(long start) {
        this.now = new AtomicLong(start);
    }

    @Override
    public long read() {
        return now.get();
    }

    /**
     * Moves the time forward by {@code delta} and wakes the loops parked on this ticker.
     *
     * @throws IllegalArgumentException if {@code delta} is negative
     */
    public void advance(Duration delta) {
        long nanos = Checks.saturatedNanos(Checks.nonNegative("advance", delta));
        advanceTo(Checks.deadline(now.get(), nanos));
    }

    /** Moves the time to {@code time} if it is later than now, and wakes the loops parked on this ticker. */
    public void advanceTo(long time) {
        now.accumulateAndGet(time, Math::max);
        for (Thread t : parked) {
            LockSupport.unpark(t);
        }
    }

    /** Turns auto-jump on or off (off by default). */
    public ManualTicker autoJump(boolean enabled) {
        this.autoJump = enabled;
        for (Thread t : parked) {
            LockSupport.unpark(t);
        }
        return this;
    }

    /** Whether auto-jump is on. */
    public boolean isAutoJump() {
        return autoJump;
    }

    @Override
    public void parkUntil(long deadline) {
        if (autoJump) {
            advanceTo(deadline);
            return;
        }
        Thread me = Thread.currentThread();
        parked.add(me);
        try {
            if (now.get() < deadline && !autoJump) {
                LockSupport.park(this);
            }
        } finally {
            parked.remove(me);
        }
    }

    /**
     * A wall clock that follows this ticker: {@code origin} when the ticker reads 0, and as much later
     * as the ticker has moved since (UTC; {@link Clock#withZone} for another zone). For what reads wall
     * time in virtual time, such as cron schedules.
     */
    public Clock clock(Instant origin) {
        return new TickerClock(this, origin, ZoneOffset.UTC);
    }

    private static final class TickerClock extends Clock {
        private final ManualTicker ticker;
        private final Instant origin;
        private final ZoneId zone;

        TickerClock(ManualTicker ticker, Instant origin, ZoneId zone) {
            this.ticker = ticker;
            this.origin = origin;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new TickerClock(ticker, origin, z);
        }

        @Override
        public Instant instant() {
            return origin.plusNanos(ticker.read());
        }

        @Override
        public String toString() {
            return "ManualTicker.clock(" + origin + ") at " + instant() + " in " + zone;
        }
    }

    @Override
    public String toString() {
        return "ManualTicker[" + now.get() + " ns" + (autoJump ? ", auto-jump" : "") + "]";
    }
}
