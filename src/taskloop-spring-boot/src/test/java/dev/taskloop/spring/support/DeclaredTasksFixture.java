package dev.taskloop.spring.support;

import dev.taskloop.spring.Restart;
import dev.taskloop.spring.leader.Leadership;
import java.time.Duration;

/** Declared tasks built by hand, for tests outside this package that need them without a Spring context. */
public final class DeclaredTasksFixture {

    private DeclaredTasksFixture() {
    }

    /** A continuous declared task: {@code restart} policy, 1 ms back-off, at most 5 restarts a minute. */
    public static TaskSpec continuous(String name, Restart restart, TaskSpec.Body body) {
        return TaskSpec.builder(name).restart(restart).backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, 0))
                .intensity(new RestartIntensity(5, Duration.ofMinutes(1))).body(body).build();
    }

    /** A continuous declared task that only the leader of {@code election} runs. */
    public static TaskSpec singleton(String name, String election, TaskSpec.Body body) {
        return TaskSpec.builder(name).restart(Restart.ALWAYS).backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, 0))
                .intensity(new RestartIntensity(5, Duration.ofMinutes(1))).singleton(election).body(body).build();
    }

    /** Starts the declared tasks, the singletons seated in {@code leadership}'s elections. */
    public static TaskloopLifecycle start(LoopDirectory loops, DeclaredTaskRegistry declared, Leadership leadership) {
        TaskloopLifecycle lifecycle = TaskloopLifecycle.builder(loops, declared).shutdownTimeout(Duration.ofSeconds(1))
                .leadership(leadership).build();
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
        TaskloopLifecycle lifecycle = TaskloopLifecycle.builder(loops, declared).shutdownTimeout(Duration.ofSeconds(1)).build();
        lifecycle.start();
        return lifecycle;
    }
}
