package dev.example.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Async;
import dev.taskloop.core.Task;
import dev.taskloop.core.testing.TestLoop;
import java.time.Duration;

class TestLoopSnippet {

    void virtualTime() throws Exception {
        // readme:snippet tour-test-loop
        try (TestLoop test = TestLoop.create()) {
            Task<String> t = test.loop().spawn("poller", () -> { Async.sleep(Duration.ofMinutes(5)); return "polled"; });
            test.advanceTimeBy(Duration.ofMinutes(5));       // instant; waits until every task is parked
            assertThat(t.result()).isEqualTo("polled");
        }
        // readme:end
    }
}
