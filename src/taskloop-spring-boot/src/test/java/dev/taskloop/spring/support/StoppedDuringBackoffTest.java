package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Async;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Strategy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A declared task (or group) stopped while it waits to restart says STOPPED, not BACKING_OFF. */
class StoppedDuringBackoffTest {

    private static final Backoff TEN_SECONDS = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 1, 0);

    @Test
    void aTaskCancelledDuringItsBackOffIsStopped() {
        try (TestLoop test = TestLoop.create()) {
            SupervisedTask st = Supervisor.start(test.loop(), TaskSpec.builder("flaky").restart(Restart.ALWAYS).backoff(TEN_SECONDS)
                    .intensity(new RestartIntensity(5, Duration.ofMinutes(1))).body(ctx -> {
                        throw new IllegalStateException("down");
                    }).build(), Supervisor.Environment.defaults());
            test.runCurrent();
            assertThat(st.status()).isEqualTo(DeclaredTask.Status.BACKING_OFF);
            st.task().cancel("operator");
            test.runCurrent();
            assertThat(st.task().isDone()).isTrue();
            assertThat(st.status()).isEqualTo(DeclaredTask.Status.STOPPED);
        }
    }

    @Test
    void theTasksOfAGroupStoppedDuringItsRestartBackOffAreStopped() {
        try (TestLoop test = TestLoop.create()) {
            TaskSpec failing = TaskSpec.builder("failing").restart(Restart.ALWAYS).backoff(TEN_SECONDS)
                    .intensity(new RestartIntensity(5, Duration.ofMinutes(1))).body(ctx -> {
                        throw new IllegalStateException("down");
                    }).build();
            TaskSpec steady = TaskSpec.builder("steady").restart(Restart.ALWAYS).backoff(TEN_SECONDS)
                    .intensity(new RestartIntensity(5, Duration.ofMinutes(1))).body(ctx -> Async.sleep(Duration.ofDays(1))).build();
            List<SupervisedTask> children = Supervisor.start(test.loop(), GroupSpec.builder("pair").strategy(Strategy.ONE_FOR_ALL)
                    .intensity(new RestartIntensity(5, Duration.ofMinutes(1))).tasks(failing, steady).build(), Supervisor.Environment.defaults());
            test.runCurrent();
            assertThat(children).extracting(DeclaredTask::status).containsOnly(DeclaredTask.Status.BACKING_OFF);
            test.loop().tasks().stream().filter(t -> t.name().equals("pair")).forEach(t -> t.cancel("shutdown"));
            test.runCurrent();
            assertThat(children).extracting(DeclaredTask::status).containsOnly(DeclaredTask.Status.STOPPED);
        }
    }
}
