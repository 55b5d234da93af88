package dev.taskloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The demo starts as a real Spring Boot application and its tasks run on the loop. */
@SpringBootTest
class DemoApplicationTest {

    @Autowired
    EventLoop loop;

    @Autowired
    DemoTasks.PollStats stats;

    @Test
    void theDemoLoopRunsThePollerAndTheHeartbeat() throws InterruptedException {
        assertThat(loop.tasks()).extracting(Task::name).contains("poller", "heartbeat");
        assertThat(stats.awaitFirstRound(Duration.ofSeconds(20))).as("first poll round ended").isTrue();
        assertThat(stats.fetches()).as("fetches done by the first poll round").isGreaterThanOrEqualTo(3);
        assertThat(stats.rounds()).isGreaterThanOrEqualTo(1);
        assertThat(loop.snapshot().failed()).isZero();
    }
}
