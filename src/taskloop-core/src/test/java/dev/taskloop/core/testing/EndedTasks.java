package dev.taskloop.core.testing;

import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener that keeps the final snapshot of every task that ends, for tests that check how tasks
 * ended (their times, their cancel reason) after the fact. Thread-safe; add it to as many loops as
 * the test has.
 */
public final class EndedTasks implements LoopListener {

    private final List<TaskSnapshot> ended = new CopyOnWriteArrayList<>();

    @Override
    public void taskEnded(TaskSnapshot task) {
        ended.add(task);
    }

    /**
     * The final snapshot of the first task named {@code name} that ended.
     *
     * @throws AssertionError naming the tasks that did end, if none of them is {@code name}
     */
    public TaskSnapshot named(String name) {
        return ended.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no task '" + name + "' ended; ended: " + ended));
    }

    /** Every final snapshot so far, in the order the tasks ended. */
    public List<TaskSnapshot> all() {
        return List.copyOf(ended);
    }
}
