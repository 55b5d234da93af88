package dev.taskloop.archfixture.sleeper;

import dev.taskloop.core.testing.Blocking;
import java.time.Duration;

/** Breaks "tests do not call Thread.sleep": twice; the deliberate blocker through Blocking is fine. */
final class SleepsAndHopes {

    void hope() throws InterruptedException {
        Thread.sleep(10);
        Thread.sleep(Duration.ofMillis(10));
    }

    void block() throws InterruptedException {
        Blocking.sleep(Duration.ofMillis(10));
    }
}
