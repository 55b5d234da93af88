package dev.taskloop.demo;

import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A bug on purpose: {@code POST /demo/runaway?perSecond=10000&seconds=10} starts a task that spawns
 * {@code perSecond} tasks a second for {@code seconds} seconds, each of which sleeps for a year (a
 * leak). Admission control ({@code taskloop.admission.*}) is what keeps it from taking the heap:
 * past {@code max-tasks} the spawns wait, fail (the runaway counts the rejection and carries on, as a
 * retrying bug would) or are shed. {@code GET /demo/runaway} tells how far it got.
 */
@RestController
public class DemoRunaway {

    private static final Logger log = LoggerFactory.getLogger(DemoRunaway.class);
    private static final Duration TICK = Duration.ofMillis(10);

    private final EventLoop loop;
    private final AtomicLong attempted = new AtomicLong();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile Task<?> runaway;

    DemoRunaway(EventLoop loop) {
        this.loop = loop;
    }

    @PostMapping("/demo/runaway")
    synchronized ResponseEntity<Map<String, Object>> start(@RequestParam int perSecond, @RequestParam int seconds) {
        if (perSecond < 1 || perSecond > 1_000_000 || seconds < 1 || seconds > 3_600) {
            return ResponseEntity.badRequest().body(Map.of("error", "perSecond must be 1 to 1000000 and seconds 1 to 3600, were "
                    + perSecond + " and " + seconds));
        }
        if (runaway != null && !runaway.isDone()) {
            return ResponseEntity.status(409).body(Map.of("error", "a runaway is already running"));
        }
        log.warn("runaway: spawning {} leaking tasks a second for {} s (a bug on purpose)", perSecond, seconds);
        runaway = loop.spawn("runaway", () -> run(perSecond, Duration.ofSeconds(seconds)));
        return ResponseEntity.accepted().body(Map.of("perSecond", perSecond, "seconds", seconds));
    }

    @GetMapping("/demo/runaway")
    Map<String, Object> progress() {
        Task<?> t = runaway;
        return Map.of("running", t != null && !t.isDone(), "attempted", attempted.get(), "admitted", admitted.get(),
                "rejected", rejected.get());
    }

    private void run(int perSecond, Duration length) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long now;
        while ((now = System.nanoTime()) < end) {
            long due = (now - start) * perSecond / 1_000_000_000L; // keep to the rate, whatever the tick's jitter
            while (attempted.get() < due) {
                attempted.incrementAndGet();
                try {
                    Task<?> leak = loop.spawn("leak", () -> Async.sleep(Duration.ofDays(365)));
                    if (leak.state() != Task.State.CANCELLED) { // a shed spawn comes back cancelled
                        admitted.incrementAndGet();
                    }
                } catch (RejectedExecutionException e) {
                    rejected.incrementAndGet();
                }
            }
            Async.sleep(TICK);
        }
        log.warn("runaway: done after {} spawns ({} admitted, {} rejected)", attempted.get(), admitted.get(), rejected.get());
    }
}
