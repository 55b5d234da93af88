package dev.taskloop.spring.support;

import dev.taskloop.spring.Strategy;
import java.util.List;

/**
 * A validated declaration of a supervised group.
 *
 * @param name unique name
 * @param loop loop name, or empty for the default loop
 * @param strategy which tasks restart together
 * @param intensity restarts allowed across the group before it gives up
 * @param tasks its tasks, in declaration (start) order
 * @param singleton the leader election it runs under (only the leader runs it), or empty to run on every replica
 */
public record GroupSpec(String name, String loop, Strategy strategy, RestartIntensity intensity, List<TaskSpec> tasks,
                        String singleton) {

    public GroupSpec {
        tasks = List.copyOf(tasks);
        singleton = singleton == null ? "" : singleton;
    }

    /** A group that runs on every replica. */
    public GroupSpec(String name, String loop, Strategy strategy, RestartIntensity intensity, List<TaskSpec> tasks) {
        this(name, loop, strategy, intensity, tasks, "");
    }

    /** Whether only the leader of {@link #singleton()} runs it. */
    public boolean isSingleton() {
        return !singleton.isEmpty();
    }
}
