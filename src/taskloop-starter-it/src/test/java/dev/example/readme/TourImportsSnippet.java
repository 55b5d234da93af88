package dev.example.readme;

// The tour's imports, as the README shows them, and its first snippet compiled with those alone.

// readme:snippet tour-imports
import dev.taskloop.core.*;               // EventLoop, Task, Async, TaskGroup, CancelScope, Timeout, ReturnWhen, WaitResult...
import dev.taskloop.core.queue.Queue;     // not java.util.Queue
import dev.taskloop.core.sync.*;          // Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier
import dev.taskloop.core.stream.AsyncStream;
import java.time.Duration;
import java.util.List;
// readme:end

class TourImportsSnippet {

    void firstTask() throws Exception {
        // readme:snippet tour-first-task
        try (EventLoop loop = EventLoop.create()) {
            Task<String> fetch = loop.spawn("fetch", () -> {
                Async.sleep(Duration.ofMillis(100));          // an await point: other tasks run meanwhile
                return "body";
            });
            String body = fetch.join();                         // blocks this (non-task) thread
        }

        String answer = EventLoop.run(() -> "42");              // asyncio.run(main): new loop, run, clean up, close
        // readme:end
    }

    record Row(String id) {}

    List<Task<Row>> fetches = List.of();

    void use(Row row) {
    }

    void waitAndAsCompleted() throws Exception {
        // readme:snippet tour-wait
        WaitResult<Task<Row>> r = Async.wait(fetches, ReturnWhen.FIRST_EXCEPTION, Duration.ofSeconds(5));
        r.done();  r.pending();                                 // asyncio.wait: nothing cancelled, no timeout thrown
        for (Task<Row> t : Async.asCompleted(fetches, Duration.ofSeconds(5))) { use(t.result()); }   // as_completed
        // readme:end
    }
}
