package dev.taskloop;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * How the demo's tests wait for another process or a server (over HTTP, its output, its files): with Awaitility,
 * bounded, never with a hand-written sleep loop (ArchitectureTest forbids {@code Thread.sleep} in tests).
 *
 * <p>The first look is at once (Awaitility's default would wait one interval first), then one every
 * {@code interval}; the condition runs in the test's thread, so what it records needs no hand-over and
 * an assertion inside it fails the test at once, as in a loop; an uncaught exception in some other
 * thread does not fail the wait (that is for the test to judge, as it was with a loop).
 */
public final class Polling {

    private Polling() {
    }

    /** A bounded wait for {@code what}: at most {@code atMost}, looking every {@code interval}. */
    public static ConditionFactory poll(String what, Duration atMost, Duration interval) {
        return Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(interval).pollInSameThread()
                .dontCatchUncaughtExceptions();
    }
}
