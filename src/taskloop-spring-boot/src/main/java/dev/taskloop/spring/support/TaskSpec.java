package dev.taskloop.spring.support;

import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.TaskContext;

/**
 * A validated declaration of a background task: what {@code @BackgroundTask} says, or what an
 * application builds by hand.
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
 */
public record TaskSpec(String name, String loop, Restart restart, Backoff backoff, RestartIntensity intensity,
                       Schedule schedule, boolean critical, boolean awaitStarted, Body body, boolean drainOnShutdown,
                       String singleton) {

    public TaskSpec {
        singleton = singleton == null ? "" : singleton;
    }

    /** A task that runs on every replica. */
    public TaskSpec(String name, String loop, Restart restart, Backoff backoff, RestartIntensity intensity,
                    Schedule schedule, boolean critical, boolean awaitStarted, Body body, boolean drainOnShutdown) {
        this(name, loop, restart, backoff, intensity, schedule, critical, awaitStarted, body, drainOnShutdown, "");
    }

    /** Whether only the leader of {@link #singleton()} runs it. */
    public boolean isSingleton() {
        return !singleton.isEmpty();
    }

    /** A task that is cancelled at once at shutdown. */
    public TaskSpec(String name, String loop, Restart restart, Backoff backoff, RestartIntensity intensity,
                    Schedule schedule, boolean critical, boolean awaitStarted, Body body) {
        this(name, loop, restart, backoff, intensity, schedule, critical, awaitStarted, body, false);
    }

    /** One attempt or one run of a task. */
    @FunctionalInterface
    public interface Body {
        void run(TaskContext context) throws Exception;
    }
}
