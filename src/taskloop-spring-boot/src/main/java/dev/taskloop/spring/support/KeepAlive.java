package dev.taskloop.spring.support;

import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the JVM alive while the application's declared tasks run.
 *
 * <p>Every task runs on a virtual thread, and virtual threads are daemon threads: an application
 * whose only work is declared tasks (a worker with no web server) would otherwise exit as soon as
 * {@code main} returned, cancelling its tasks, where the same application on {@code @Scheduled}
 * keeps running on its scheduler's platform threads. This lifecycle holds one non-daemon platform
 * thread, parked, from the start of the context until it stops (Spring Boot's own
 * {@code spring.main.keep-alive} does the same for any application); SIGTERM and
 * {@code context.close()} end it as usual. It does nothing when there is no declared task, so
 * that a program that uses the loops for a job and returns still exits. Turn it off with
 * {@code taskloop.keep-alive=false}.
 *
 * <p>States: stopped -> {@link #start()} -> running (the thread parked) -> {@link #stop()} ->
 * stopped. It cannot be paused and restarted ({@link #isPauseable()} is {@code false}): a
 * {@code context.stop()} releases the thread for good.
 *
 * @since 0.1.0
 */
public final class KeepAlive implements SmartLifecycle {

    private static final Log log = LogFactory.getLog(KeepAlive.class);

    private final BooleanSupplier hasDeclaredTasks;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile @Nullable Thread thread;

    /** @param hasDeclaredTasks whether the application declares any task or group (read at start) */
    public KeepAlive(BooleanSupplier hasDeclaredTasks) {
        this.hasDeclaredTasks = hasDeclaredTasks;
    }

    @Override
    public synchronized void start() {
        if (thread != null || released.getCount() == 0 || !hasDeclaredTasks.getAsBoolean()) {
            return;
        }
        thread = Thread.ofPlatform().daemon(false).name("taskloop-keep-alive").start(() -> {
            while (true) {
                try {
                    released.await();
                    return;
                } catch (InterruptedException e) {
                    // only stop() ends it
                }
            }
        });
        log.debug("Keeping the JVM alive while the declared tasks run (taskloop.keep-alive)");
    }

    @Override
    public synchronized void stop() {
        released.countDown();
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** The thread held now, or {@code null}; for tests. */
    @Nullable Thread thread() {
        return thread;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Stopped last, after the loops: the JVM may exit only once everything else has. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }
}
