package dev.taskloop.demo;

import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.TaskGroup;
import dev.taskloop.core.spi.LoopSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The demo's loop and its long-running tasks, wired by hand until the starter's annotations and
 * auto-configuration exist:
 * <ul>
 *   <li>{@code poller}: every 2 s fans out three "fetches" in a {@link TaskGroup}; each does blocking
 *       I/O through {@link Async#offload} so the loop stays free;</li>
 *   <li>{@code heartbeat}: every 5 s logs the loop's own figures: tasks, utilization, lag p99,
 *       slow steps.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class DemoTasks {

    private static final Logger log = LoggerFactory.getLogger(DemoTasks.class);

    @Bean(destroyMethod = "close")
    EventLoop demoLoop() {
        return EventLoop.builder().name("demo").shutdownTimeout(Duration.ofSeconds(10)).build();
    }

    @Bean
    ApplicationRunner startDemoTasks(EventLoop demoLoop, PollStats stats) {
        return new ApplicationRunner() {
            @Override
            public void run(ApplicationArguments args) {
                demoLoop.spawn("poller", () -> poll(stats));
                demoLoop.spawn("heartbeat", () -> heartbeat(demoLoop));
            }
        };
    }

    @Bean
    PollStats pollStats() {
        return new PollStats();
    }

    /** What the poller has done so far; read by the demo's test. */
    public static final class PollStats {
        final AtomicLong rounds = new AtomicLong();
        final AtomicLong fetches = new AtomicLong();
        final CountDownLatch firstRound = new CountDownLatch(1);

        /** Waits (up to {@code timeout}) for the first poll round to end; returns whether it did. */
        public boolean awaitFirstRound(Duration timeout) throws InterruptedException {
            return firstRound.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public long rounds() {
            return rounds.get();
        }

        public long fetches() {
            return fetches.get();
        }
    }

    private static void poll(PollStats stats) {
        while (true) {
            TaskGroup round = TaskGroup.create("poll-round");
            List<String> sources = List.of("orders", "stock", "prices");
            round.run(() -> {
                for (String source : sources) {
                    round.spawn("fetch-" + source, () -> {
                        int rows = Async.offload(() -> blockingFetch(source));
                        stats.fetches.incrementAndGet();
                        log.debug("fetched {} rows from {}", rows, source);
                    });
                }
            });
            stats.rounds.incrementAndGet();
            stats.firstRound.countDown();
            Async.sleep(Duration.ofSeconds(2));
        }
    }

    /** Stands for a JDBC or HTTP call: it blocks its thread, which is why it is offloaded. */
    private static int blockingFetch(String source) throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextInt(20, 80));
        return source.length() * 10;
    }

    private static void heartbeat(EventLoop loop) {
        while (true) {
            LoopSnapshot s = loop.snapshot();
            log.info("loop '{}': {} live tasks, {} completed, utilization {}%, lag p99 {} µs, {} slow steps, running task: {}",
                    s.name(), s.liveTasks(), s.completed(), Math.round(s.utilization() * 1000) / 10.0,
                    s.lag().p99() / 1000, s.slowSteps(), Task.current().name());
            Async.sleep(Duration.ofSeconds(5));
        }
    }
}
