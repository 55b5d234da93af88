package dev.taskloop.spring.support;

import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.TaskContext;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A validated declaration of a background task: what {@code @BackgroundTask} says, or what an
 * application builds by hand with {@link #builder(String)}.
 *
 * @param name unique name
 * @param loop loop name, or empty for the default loop
 * @param restart when it starts again
 * @param backoff delays between restarts
 * @param intensity when to give up (ignored inside a group, which has its own)
 * @param schedule once, or periodic
 * @param critical whether its final failure makes the application unhealthy
 * @param awaitStarted whether readiness waits for {@link TaskContext#started()}
 * @param body what one attempt (or one periodic run) does
 * @param drainOnShutdown whether, at shutdown, the task is left to finish by itself (after intake
 *     stopped) for up to {@code taskloop.shutdown.drain-timeout} before it is cancelled
 * @param singleton the leader election it runs under (only the leader runs it), or empty to run on every replica
 * @param shards how many shards it is spread over the replicas in (each runs as {@code <name>-<index>} on the
 *     replica holding that shard of the sharded election {@code name}), or 0 when it is not sharded
 * @since 0.1.0
 */
public record TaskSpec(String name, String loop, Restart restart, Backoff backoff, RestartIntensity intensity,
                       Schedule schedule, boolean critical, boolean awaitStarted, Body body, boolean drainOnShutdown,
                       String singleton, int shards) {

    public TaskSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(intensity, "intensity");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(singleton, "singleton");
        if (shards < 0) {
            throw new IllegalArgumentException("TaskSpec '" + name + "' has " + shards + " shards; use 0 (not sharded) or more");
        }
    }

    /**
     * A task named {@code name}, with {@code @BackgroundTask}'s defaults: the default loop,
     * {@link Restart#ON_FAILURE}, {@link Backoff#DEFAULT}, {@link RestartIntensity#DEFAULT}, continuous,
     * not critical, no awaitStarted, no drain, on every replica, not sharded. Its {@link Builder#body body} has no
     * default.
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

    /** The same declaration under another name: what one shard of it (or of its group) runs as. */
    public TaskSpec named(String newName) {
        return new TaskSpec(newName, loop, restart, backoff, intensity, schedule, critical, awaitStarted, body, drainOnShutdown, singleton,
                shards);
    }

    /** One attempt or one run of a task. */
    @FunctionalInterface
    public interface Body {
        void run(TaskContext context) throws Exception;
    }

    /** Builds a {@link TaskSpec}; every setter replaces the default named in {@link #builder}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private @Nullable Body body;
        private String loop = "";
        private Restart restart = Restart.ON_FAILURE;
        private Backoff backoff = Backoff.DEFAULT;
        private RestartIntensity intensity = RestartIntensity.DEFAULT;
        private Schedule schedule = new Schedule.Continuous();
        private boolean critical;
        private boolean awaitStarted;
        private boolean drainOnShutdown;
        private String singleton = "";
        private int shards;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** What one attempt (or one periodic run) does; required. */
        public Builder body(Body body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /** The loop to run on, by name; empty for the default loop. */
        public Builder loop(String loop) {
            this.loop = loop;
            return this;
        }

        public Builder restart(Restart restart) {
            this.restart = restart;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder intensity(RestartIntensity intensity) {
            this.intensity = intensity;
            return this;
        }

        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder critical(boolean critical) {
            this.critical = critical;
            return this;
        }

        public Builder awaitStarted(boolean awaitStarted) {
            this.awaitStarted = awaitStarted;
            return this;
        }

        public Builder drainOnShutdown(boolean drainOnShutdown) {
            this.drainOnShutdown = drainOnShutdown;
            return this;
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

        /** @throws IllegalStateException if no {@link #body} was given */
        public TaskSpec build() {
            if (body == null) {
                throw new IllegalStateException("TaskSpec '" + name + "' has no body; give it one with body(...)");
            }
            return new TaskSpec(name, loop, restart, backoff, intensity, schedule, critical, awaitStarted, body, drainOnShutdown,
                    singleton, shards);
        }
    }
}
