package dev.taskloop.core.testing;

import java.time.Duration;

/**
 * Blocking on purpose, for tests of what a blocked loop looks like: the watchdog's report with the
 * holder's live stack, slow and blocked steps, a stuck loop in health and probes.
 *
 * <p>Called from a task, the call keeps the baton: every other task of the loop waits until it
 * returns, exactly as for any blocking call ({@code Thread.sleep}, JDBC, file I/O) made on a loop.
 * Tests use this instead of calling {@code Thread.sleep} themselves, so that a deliberate blocker is
 * told apart from sleeping and hoping (an architecture rule forbids the latter).
 *
 * @since 0.1.0
 */
public final class Blocking {

    private Blocking() {
    }

    /**
     * Blocks the calling thread for {@code duration} with {@link Thread#sleep(Duration)}: in a task,
     * its loop stalls that long.
     *
     * @throws InterruptedException if the thread is interrupted (a loop that is shut down interrupts
     *         the tasks still alive after its timeout)
     */
    public static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
    }
}
