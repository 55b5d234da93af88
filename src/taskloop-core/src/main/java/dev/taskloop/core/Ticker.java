package dev.taskloop.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The only source of time an {@link EventLoop} reads: timers, timeouts and the awake / asleep /
 * waiting accounting all use it. Production loops use {@link #system()}; tests use
 * {@code dev.taskloop.core.testing.ManualTicker} to run in virtual time.
 *
 * <p>Values are nanoseconds on an arbitrary monotonic scale (like {@link System#nanoTime()}); only
 * differences mean something.
 *
 * <p>Implementations must be thread-safe: a loop reads its ticker from every task and from its
 * driver thread.
 *
 * @since 0.1.0
 */
public interface Ticker {

    /** Current time in nanoseconds on this ticker's scale. */
    long read();

    /**
     * Parks the calling thread until {@link #read()} reaches {@code deadline}, or earlier. The
     * loop's driver calls this when it has nothing to run before its next timer; it re-checks
     * everything after every return, so returning early (spuriously, or because the thread was
     * unparked) is always allowed. The default implementation parks for the remaining wall time.
     */
    default void parkUntil(long deadline) {
        long remaining = deadline - read();
        if (remaining > 0) {
            LockSupport.parkNanos(this, remaining);
        }
    }

    /** The wall-clock ticker, {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

final class SystemTicker implements Ticker {
    static final SystemTicker INSTANCE = new SystemTicker();

    private SystemTicker() {
    }

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "Ticker.system()";
    }
}
