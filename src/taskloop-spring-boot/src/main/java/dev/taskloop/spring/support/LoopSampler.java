package dev.taskloop.spring.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The monitor's own platform thread, {@code taskloop-monitor}: runs a check every interval, so that
 * the loops are looked at even when every carrier thread is busy (a stuck loop is exactly when a
 * virtual thread would not get to run). A check that throws is logged, and the next one runs.
 *
 * <pre>  stopped --start()--> sampling --stop()--> stopped (the thread ends at its next wake-up)</pre>
 * Restartable: {@code start()} after {@code stop()} starts a new thread. Thread-safe.
 */
final class LoopSampler {

    private static final Log log = LogFactory.getLog(LoopSampler.class);

    private final Duration interval;
    private final Runnable check;
    private volatile @Nullable Thread thread;
    private volatile boolean running;

    LoopSampler(Duration interval, Runnable check) {
        this.interval = interval;
        this.check = check;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        long nanos = interval.toNanos();
        thread = Thread.ofPlatform().daemon().name("taskloop-monitor").start(() -> {
            while (running) {
                LockSupport.parkNanos(this, nanos);
                if (!running) {
                    break;
                }
                try {
                    check.run();
                } catch (RuntimeException | Error e) {
                    log.warn("Taskloop monitor failed to check the loops", e);
                }
            }
        });
    }

    synchronized void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    boolean isRunning() {
        return running;
    }
}
