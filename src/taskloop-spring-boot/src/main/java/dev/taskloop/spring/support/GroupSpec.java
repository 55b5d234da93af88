package dev.taskloop.spring.support;

import dev.taskloop.spring.Strategy;
import dev.taskloop.spring.leader.ShardNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated declaration of a supervised group: what {@code @SupervisedGroup} says, or what an
 * application builds by hand with {@link #builder(String)}.
 *
 * @param name unique name
 * @param loop loop name, or empty for the default loop
 * @param strategy which tasks restart together
 * @param intensity restarts allowed across the group before it gives up
 * @param tasks its tasks, in declaration (start) order
 * @param singleton the leader election it runs under (only the leader runs it), or empty to run on every replica
 * @param shards how many shards it is spread over the replicas in (each a copy of the group, {@code <name>-<index>},
 *     its tasks {@code <task>-<index>}), or 0 when it is not sharded
 * @since 0.1.0
 */
public record GroupSpec(String name, String loop, Strategy strategy, RestartIntensity intensity, List<TaskSpec> tasks,
                        String singleton, int shards) {

    public GroupSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(intensity, "intensity");
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(singleton, "singleton");
        if (shards < 0) {
            throw new IllegalArgumentException("GroupSpec '" + name + "' has " + shards + " shards; use 0 (not sharded) or more");
        }
    }

    /**
     * A group named {@code name} with {@code @SupervisedGroup}'s defaults: the default loop,
     * {@link Strategy#ONE_FOR_ONE}, {@link RestartIntensity#DEFAULT}, on every replica, not sharded; and no task yet.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Whether only the leader of {@link #singleton()} runs it. */
    public boolean isSingleton() {
        return !singleton.isEmpty();
    }

    /** Whether it is spread over the replicas in {@link #shards()} shards. */
    public boolean isSharded() {
        return shards > 0;
    }

    /** Shard {@code index} of this group: the group {@code <name>-<index>} of the tasks {@code <task>-<index>}. */
    public GroupSpec shard(int index) {
        return new GroupSpec(ShardNames.shard(name, index), loop, strategy, intensity,
                tasks.stream().map(t -> t.named(ShardNames.shard(t.name(), index))).toList(), singleton, shards);
    }

    /** Builds a {@link GroupSpec}; every setter replaces the default named in {@link #builder}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String loop = "";
        private Strategy strategy = Strategy.ONE_FOR_ONE;
        private RestartIntensity intensity = RestartIntensity.DEFAULT;
        private final List<TaskSpec> tasks = new ArrayList<>();
        private String singleton = "";
        private int shards;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The loop its tasks run on, by name; empty for the default loop. */
        public Builder loop(String loop) {
            this.loop = loop;
            return this;
        }

        public Builder strategy(Strategy strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder intensity(RestartIntensity intensity) {
            this.intensity = intensity;
            return this;
        }

        /** Adds tasks, after those added before: the start order. */
        public Builder tasks(List<TaskSpec> tasks) {
            this.tasks.addAll(tasks);
            return this;
        }

        /** Adds tasks, after those added before: the start order. */
        public Builder tasks(TaskSpec... tasks) {
            return tasks(List.of(tasks));
        }

        /** The leader election it runs under; empty to run on every replica. */
        public Builder singleton(String singleton) {
            this.singleton = singleton;
            return this;
        }

        /** How many shards to spread it over the replicas in; 0 (default) for none. */
        public Builder shards(int shards) {
            this.shards = shards;
            return this;
        }

        public GroupSpec build() {
            return new GroupSpec(name, loop, strategy, intensity, tasks, singleton, shards);
        }
    }
}
