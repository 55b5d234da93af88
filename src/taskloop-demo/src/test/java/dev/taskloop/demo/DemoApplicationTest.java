package dev.taskloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.EventLoop;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The demo starts as a real Spring Boot application and its declared tasks run on the loop. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "taskloop.shutdown.exit-zero-on-sigterm=false")
class DemoApplicationTest {

    @Autowired
    EventLoop loop;

    @Autowired
    DeclaredTaskRegistry declared;

    @Autowired
    DemoTasks tasks;

    @Autowired
    DemoIngest ingest;

    @Test
    void theDemosDeclaredTasksRunOnTheDefaultLoop() throws InterruptedException {
        assertThat(loop.name()).isEqualTo("main");
        assertThat(declared.all()).extracting(DeclaredTask::name)
                .contains("ticker", "report", "blocker", "stubborn", "producer", "consumers");
        assertThat(declared.find("consumers")).get().extracting(DeclaredTask::group).isEqualTo("ingest");
        assertThat(tasks.stats().awaitFirstRound(Duration.ofSeconds(20))).as("first report round ended").isTrue();
        assertThat(tasks.stats().fetches()).isGreaterThanOrEqualTo(3);
        assertThat(ingest.awaitFirstOrders(Duration.ofSeconds(20))).as("orders consumed through the bounded queue").isTrue();
        assertThat(ingest.produced()).isGreaterThanOrEqualTo(ingest.consumed());
        assertThat(declared.find("stubborn")).get().extracting(DeclaredTask::status).isEqualTo(DeclaredTask.Status.COMPLETED);
    }
}
