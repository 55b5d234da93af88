package dev.taskloop.core.internal;

import dev.taskloop.core.spi.Describe;
import dev.taskloop.core.spi.TaskSnapshot;
import java.lang.ref.Cleaner;
import org.jspecify.annotations.Nullable;

/**
 * Reports a failure nobody retrieved, when its task is collected (asyncio's "Task exception was
 * never retrieved"). Must not reference the task: the cleaner holds it strongly until then. Its
 * failure may still lead back to the task (a timeout's exception holds its scope), so a retrieved
 * failure unregisters its record at once ({@link #forget}) rather than waiting for a collection
 * that such a chain would prevent.
 */
final class FailureRecord implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Loop loop;
    private final TaskSnapshot snapshot;
    private final Throwable failure;
    private volatile boolean observed;
    private volatile Cleaner.@Nullable Cleanable cleanable;

    FailureRecord(Loop loop, TaskSnapshot snapshot, Throwable failure) {
        this.loop = loop;
        this.snapshot = snapshot;
        this.failure = failure;
    }

    /** Reports the failure when {@code task} is collected, unless it is retrieved first. */
    void watch(TaskImpl<?> task) {
        cleanable = CLEANER.register(task, this);
    }

    /** The failure was retrieved: nothing to report, and the cleaner lets go of the record. */
    void forget() {
        observed = true;
        Cleaner.Cleanable c = cleanable;
        if (c != null) {
            c.clean(); // runs run() at most once, which now returns at once, and unregisters
        }
    }

    @Override
    public void run() {
        if (observed) {
            return;
        }
        Loop.LOG.log(System.Logger.Level.ERROR, Describe.task(snapshot) + " on event loop '"
                + snapshot.loop() + "' failed and nobody retrieved its exception (join, result, a TaskGroup...)", failure);
        loop.notifyListeners("unobservedFailure", l -> l.unobservedFailure(snapshot, failure));
    }
}
