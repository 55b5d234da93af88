package dev.example.worker;

import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.TaskContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The worker's one long-running task: a beat every 100 ms, and a cleanup line when it is stopped. */
@Component
class Heartbeat {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    @BackgroundTask(name = "heartbeat")
    void beat(TaskContext ctx) throws InterruptedException {
        try {
            for (long n = 1; ; n++) {
                log.info("heartbeat {} (attempt {})", n, ctx.attempt());
                Async.sleep(Duration.ofMillis(100));
            }
        } finally {
            log.info("heartbeat cleaned up");
        }
    }
}
