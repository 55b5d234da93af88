package dev.example.readme;

import dev.taskloop.core.*;
import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;

class CancellationSnippet {

    interface Client {
        String fetch();
    }

    Task<?> task;
    Client client;
    JdbcTemplate jdbcTemplate;
    String sql;

    void crawl() {
    }

    void process() {
    }

    void flushAndAck() {
    }

    void cancellation() throws Exception {
        // readme:snippet tour-cancellation
        task.cancel("operator request");                    // its next await point throws CancelledException

        String r = Async.withTimeout(Duration.ofSeconds(5), () -> client.fetch());   // TimeoutExpiredException

        CancelScope scope = CancelScope.create();           // Trio's cancel scope: cancel a region of code
        scope.run(() -> { crawl(); });                      // scope.cancel() from anywhere stops the body

        try { process(); } finally {
            CancelScope.shielded().run(() -> flushAndAck()); // cleanup that must await, even when cancelled
        }
        // readme:end
    }

    void offload() throws Exception {
        // readme:snippet tour-offload
        int rows = Async.offload(() -> jdbcTemplate.update(sql));   // asyncio.to_thread
        // readme:end
    }
}
