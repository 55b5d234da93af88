package dev.taskloop.core;

import java.time.Duration;

/**
 * Runs lincheck operations that must be tasks (the waiting ones) on a shared two-loop group: each
 * lincheck thread uses the loop of its parity, so two operations of one scenario usually run on
 * different loops, in parallel, and the primitives' cross-loop hand-off is what gets checked.
 * The waits are bounded by a short real-time timeout, so that a scenario in which a get finds
 * nothing does not hang: a timed-out wait is linearizable as the non-waiting answer at the moment
 * it started waiting ("empty", "full", "no permit").
 */
public final class LincheckSupport {

    private static volatile EventLoopGroup group;

    private LincheckSupport() {
    }

    private static EventLoopGroup group() {
        EventLoopGroup g = group;
        if (g == null) {
            synchronized (LincheckSupport.class) {
                g = group;
                if (g == null) {
                    g = group = EventLoopGroup.create("lincheck", 2, EventLoop.builder().watchdog(false));
                }
            }
        }
        return g;
    }

    /** Runs {@code body} as a task on this thread's loop and waits for its result. */
    public static <T> T onLoop(AsyncCallable<T, ?> body) {
        EventLoop loop = group().loop((int) (Thread.currentThread().threadId() & 1));
        return loop.spawn("lincheck-op", body).join(Duration.ofSeconds(30));
    }

    /** Runs a wait with a real-time bound; {@code timedOut} if it did not complete within it. */
    public static <T> T bounded(AsyncCallable<T, ?> wait, T timedOut) {
        try {
            return Async.withTimeout(Duration.ofMillis(1), wait);
        } catch (TimeoutExpiredException e) {
            return timedOut;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the group (from a JUnit {@code @AfterAll}). */
    public static void close() {
        EventLoopGroup g = group;
        group = null;
        if (g != null) {
            g.close();
        }
    }
}
