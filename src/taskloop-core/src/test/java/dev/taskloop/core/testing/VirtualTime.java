package dev.taskloop.core.testing;

import dev.taskloop.core.Async;
import java.time.Duration;

/** Shorthands for the bodies of test tasks; on a {@link TestLoop} their sleeps are virtual time. */
public final class VirtualTime {

    private VirtualTime() {
    }

    /** {@code Async.sleep} for {@code ms} milliseconds: an await point, from a task only. */
    public static void sleepMs(long ms) {
        Async.sleep(Duration.ofMillis(ms));
    }
}
