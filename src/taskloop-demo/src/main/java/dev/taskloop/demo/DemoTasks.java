package dev.taskloop.demo;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelScope;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.TaskGroup;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.TaskContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The demo's background tasks, declared with {@code @BackgroundTask}:
 * <ul>
 *   <li>{@code ticker}: every 5 s, logs the loop's own figures (tasks, utilization, lag p99);</li>
 *   <li>{@code report}: every 2 s, fans out three "fetches" in a {@link TaskGroup}; each does its
 *       blocking I/O through {@link Async#offload}, so the loop stays free;</li>
 *   <li>{@code blocker}: when switched on ({@code demo.blocker.enabled=true}, or
 *       {@code POST /demo/blocker?enabled=true}), blocks the loop for 2 s with a plain
 *       {@code Thread.sleep}, every 0.5 s: what the watchdog, the endpoint and the health check exist
 *       to catch (it looks at the switch every 0.5 s, so it starts blocking within 0.5 s);</li>
 *   <li>{@code stubborn}: only with {@code demo.stubborn.enabled=true}, ignores cancellation, to
 *       show that shutdown still ends after {@code taskloop.shutdown.timeout} and names it.</li>
 * </ul>
 * Each task logs when it is cleaned up at shutdown.
 */
@Component
public class DemoTasks {

    private static final Logger log = LoggerFactory.getLogger(DemoTasks.class);

    private final EventLoop loop;
    private final DemoSwitches switches;
    private final ReportStats stats = new ReportStats();

    DemoTasks(EventLoop loop, DemoSwitches switches) {
        this.loop = loop;
        this.switches = switches;
    }

    /** What the report task has done so far; read by the demo's tests. */
    public ReportStats stats() {
        return stats;
    }

    @BackgroundTask(name = "ticker", fixedRate = "5s")
    void ticker() {
        LoopSnapshot s = loop.snapshot();
        // A console write is blocking I/O: on a cold JVM the first one starts a carrier thread and
        // holds the baton past the slow-step threshold. Offloaded, it does not stall the loop.
        Async.offload(() -> log.info("loop '{}': {} live tasks, {} completed, utilization {}%, lag p99 {} µs, {} slow steps",
                s.name(), s.liveTasks(), s.completed(), Math.round(s.utilization() * 1000) / 10.0,
                s.lag().p99() / 1000, s.slowSteps()));
    }

    @BackgroundTask(name = "report", fixedDelay = "2s", restart = Restart.ALWAYS)
    void report(TaskContext ctx) {
        TaskGroup round = TaskGroup.create("report-round");
        try {
            round.run(() -> {
                for (String source : List.of("orders", "stock", "prices")) {
                    round.spawn("fetch-" + source, () -> {
                        int rows = Async.offload(() -> blockingFetch(source));
                        stats.fetches.incrementAndGet();
                        log.debug("fetched {} rows from {}", rows, source);
                    });
                }
            });
            stats.rounds.incrementAndGet();
            stats.firstRound.countDown();
        } finally {
            if (ctx.isCancelRequested()) {
                log.info("task 'report' cleaned up");
            }
        }
    }

    /** Stands for a JDBC or HTTP call: it blocks its thread, which is why it is offloaded. */
    private static int blockingFetch(String source) throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextInt(20, 80));
        return source.length() * 10;
    }

    @BackgroundTask(name = "blocker", restart = Restart.ALWAYS)
    void blocker() throws InterruptedException {
        try {
            while (true) {
                Async.sleep(Duration.ofMillis(500));
                if (switches.blocker()) {
                    log.warn("blocking the loop for 2 s with Thread.sleep (demo.blocker.enabled=true)");
                    Thread.sleep(2000); // on purpose: holds the baton, every other task of the loop waits
                }
            }
        } finally {
            log.info("task 'blocker' cleaned up");
        }
    }

    @BackgroundTask(name = "stubborn")
    void stubborn() {
        if (!switches.stubborn()) {
            return;
        }
        log.warn("task 'stubborn' will ignore cancellation (demo.stubborn.enabled=true)");
        CancelScope.shielded().run(() -> Async.sleep(Duration.ofHours(1)));
    }

    /** Counters of the report task. */
    public static final class ReportStats {
        final AtomicLong rounds = new AtomicLong();
        final AtomicLong fetches = new AtomicLong();
        final CountDownLatch firstRound = new CountDownLatch(1);

        public long rounds() {
            return rounds.get();
        }

        public long fetches() {
            return fetches.get();
        }

        /** Waits (up to {@code timeout}) for the first report round to end; returns whether it did. */
        public boolean awaitFirstRound(Duration timeout) throws InterruptedException {
            return firstRound.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
