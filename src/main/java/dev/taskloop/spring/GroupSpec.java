package dev.taskloop.spring;

import dev.taskloop.spring.annotation.Strategy;
import java.util.List;

/**
 * A validated declaration of a supervised group.
 *
 * @param name unique name
 * @param loop loop name, or empty for the default loop
 * @param strategy which tasks restart together
 * @param intensity restarts allowed across the group before it gives up
 * @param tasks its tasks, in declaration (start) order
 */
public record GroupSpec(String name, String loop, Strategy strategy, RestartIntensity intensity, List<TaskSpec> tasks) {

    public GroupSpec {
        tasks = List.copyOf(tasks);
    }
}
