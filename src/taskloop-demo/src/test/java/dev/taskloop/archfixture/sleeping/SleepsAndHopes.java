package dev.taskloop.archfixture.sleeping;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** ArchitectureTest fixture: every way a test can sleep and hope (forbidden, each). Never run. */
final class SleepsAndHopes {

    void millis() throws InterruptedException {
        Thread.sleep(10);
    }

    void millisAndNanos() throws InterruptedException {
        Thread.sleep(10, 500);
    }

    void duration() throws InterruptedException {
        Thread.sleep(Duration.ofMillis(10));
    }

    void timeUnit() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(10);
    }

    Sleeper reference() {
        return Thread::sleep;
    }

    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** A thread class calling the sleep it inherits, unqualified. */
    static final class Worker extends Thread {
        void pause() throws InterruptedException {
            sleep(10);
        }
    }
}
