package dev.taskloop.spring.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * What the replicas of a leader election test did, in order, with the times: each replica's singleton
 * says when it started and when its {@code finally} ran; how many ran at once is tracked. Waits are
 * bounded and wake on each event (no sleeping and hoping).
 */
public final class Timeline {

    /** The timeline of the test running now (the replicas' singleton beans write to it). */
    public static volatile Timeline current = new Timeline();

    /** An event: {@code replica} did {@code what} at {@code nanos} ({@link System#nanoTime()}); a start's fencing token, else 0. */
    public record Event(String replica, String what, long nanos, long token) {
    }

    private final List<Event> events = new ArrayList<>();
    private int running;
    private int maxRunning;

    public static Timeline reset() {
        current = new Timeline();
        return current;
    }

    public synchronized void started(String replica, long fencingToken) {
        running++;
        maxRunning = Math.max(maxRunning, running);
        add(replica, "started", fencingToken);
    }

    public synchronized void ended(String replica) {
        running--;
        add(replica, "finally", 0);
    }

    private void add(String replica, String what, long token) {
        events.add(new Event(replica, what, System.nanoTime(), token));
        notifyAll();
    }

    /** The most singletons that ran at the same moment, over the whole test. */
    public synchronized int maxRunning() {
        return maxRunning;
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The events as "replica what", in order. */
    public synchronized List<String> story() {
        return events.stream().map(e -> e.replica() + " " + e.what()).toList();
    }

    /** The n-th (from 1) time {@code replica} did {@code what}, waiting up to {@code timeout} for it. */
    public synchronized Event await(String replica, String what, int nth, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int seen = 0;
            for (Event e : events) {
                if (e.replica().equals(replica) && e.what().equals(what) && ++seen == nth) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("'" + replica + " " + what + "' (#" + nth + ") did not happen within " + timeout + "; happened: " + story());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    public Event await(String replica, String what, Duration timeout) throws InterruptedException {
        return await(replica, what, 1, timeout);
    }

    /** Polls {@code condition} (which reads state the replicas change) every 10 ms, up to {@code timeout}. */
    public static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }
}
