package dev.taskloop.core.testing;

import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener that records every cancellation a loop reports as swallowed, for tests that check
 * what is reported and what is not. Thread-safe.
 */
public final class SwallowedCancellations implements LoopListener {

    private final List<String> reported = new CopyOnWriteArrayList<>();

    @Override
    public void cancellationSwallowed(TaskSnapshot task, String scope) {
        reported.add(task.name() + ": " + scope);
    }

    /** Every report so far, as {@code "<task>: <scope>"}, in the order they came. */
    public List<String> all() {
        return List.copyOf(reported);
    }
}
