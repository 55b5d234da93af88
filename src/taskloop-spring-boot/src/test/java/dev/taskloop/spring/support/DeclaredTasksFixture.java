package dev.taskloop.spring.support;

import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Schedule;
import java.time.Duration;

/** Declared tasks built by hand, for tests outside this package that need them without a Spring context. */
public final class DeclaredTasksFixture {

    private DeclaredTasksFixture() {
    }

    /** A continuous declared task: {@code restart} policy, 1 ms back-off, at most 5 restarts a minute. */
    public static TaskSpec continuous(String name, Restart restart, TaskSpec.Body body) {
        return new TaskSpec(name, "", restart, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, 0),
                new RestartIntensity(5, Duration.ofMinutes(1)), new Schedule.Continuous(), false, false, body);
    }

    /** A continuous declared task that only the leader of {@code election} runs. */
    public static TaskSpec singleton(String name, String election, TaskSpec.Body body) {
        return new TaskSpec(name, "", Restart.ALWAYS, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, 0),
                new RestartIntensity(5, Duration.ofMinutes(1)), new Schedule.Continuous(), false, false, body, false, election);
    }

    /** Starts the declared tasks, the singletons seated in {@code leadership}'s elections. */
    public static TaskloopLifecycle start(LoopDirectory loops, DeclaredTaskRegistry declared, dev.taskloop.spring.leader.Leadership leadership) {
        TaskloopLifecycle lifecycle = new TaskloopLifecycle(loops, declared, Supervisor.Environment.defaults(), Duration.ZERO,
                Duration.ofSeconds(1), java.util.List.of(), leadership);
        lifecycle.start();
        return lifecycle;
    }

    /** The declarations, as the annotation processing would have collected them. */
    public static DeclaredTaskRegistry declare(TaskSpec... specs) {
        DeclaredTaskRegistry declared = new DeclaredTaskRegistry();
        for (TaskSpec s : specs) {
            declared.add(s, new DeclaredTaskRegistry.Origin("fixture", s.name() + "()"));
        }
        return declared;
    }

    /** Starts the declared tasks on the directory's loops, as the application context would. */
    public static TaskloopLifecycle start(LoopDirectory loops, DeclaredTaskRegistry declared) {
        TaskloopLifecycle lifecycle = new TaskloopLifecycle(loops, declared, Supervisor.Environment.defaults(), Duration.ofSeconds(1));
        lifecycle.start();
        return lifecycle;
    }
}
