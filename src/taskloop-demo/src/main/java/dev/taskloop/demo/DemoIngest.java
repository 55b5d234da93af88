package dev.taskloop.demo;

import dev.taskloop.core.Async;
import dev.taskloop.core.TaskGroup;
import dev.taskloop.core.queue.Queue;
import dev.taskloop.core.queue.QueueShutDownException;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.ShutdownParticipant;
import dev.taskloop.spring.Strategy;
import dev.taskloop.spring.SupervisedGroup;
import dev.taskloop.spring.TaskContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The demo's supervised ingest group: a {@code producer} that reads "orders" from a simulated
 * source into a bounded queue, and {@code consumers}, which run three workers taking orders from
 * it. The queue pushes back: when the workers fall behind, the producer waits in {@code put}. The
 * group is ONE_FOR_ALL: if either task fails, both restart, with a fresh view of the source.
 * With {@code demo.poison.enabled=true} (off by default: its failures are logged with their stacks),
 * every fiftieth order is "poison" and fails its worker once in a while, to show restarts (the
 * poisoned order is handed back, not lost).
 *
 * <p>At shutdown nothing is lost: intake stops first (the queue is shut down, so the producer
 * stops and the workers drain what is queued), the consumers finish by themselves within
 * {@code taskloop.shutdown.drain-timeout}; an order a worker holds when it is cancelled is handed
 * back in its {@code finally}; orders still queued are handed back by {@link #handBack()}. With
 * {@code demo.ledger=<file>} every order produced, consumed and handed back is written there, one
 * line each; the real-process shutdown test checks it.
 */
@Component
@SupervisedGroup(name = "ingest", strategy = Strategy.ONE_FOR_ALL, maxRestarts = 20, restartWindow = "1m")
public class DemoIngest implements ShutdownParticipant {

    private static final Logger log = LoggerFactory.getLogger(DemoIngest.class);
    static final int WORKERS = 3;

    private final Queue<Long> orders = Queue.fifo("orders", 50);
    private final Ledger ledger;
    private final int producerDelayMs;
    private final int workMs;
    private final DemoSwitches switches;

    DemoIngest(@Value("${demo.ledger:}") String ledger, @Value("${demo.ingest.producer-delay-ms:10}") int producerDelayMs,
               @Value("${demo.ingest.work-ms:25}") int workMs, DemoSwitches switches) {
        this.switches = switches;
        this.ledger = new Ledger(ledger);
        this.producerDelayMs = Math.max(1, producerDelayMs);
        this.workMs = Math.max(1, workMs);
    }
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private final CountDownLatch firstOrders = new CountDownLatch(20);

    /** Waits (up to {@code timeout}) until the first 20 orders have been consumed. */
    public boolean awaitFirstOrders(Duration timeout) throws InterruptedException {
        return firstOrders.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Orders produced so far. */
    public long produced() {
        return produced.get();
    }

    /** Orders consumed so far. */
    public long consumed() {
        return consumed.get();
    }

    @BackgroundTask(name = "producer", restart = Restart.ALWAYS, backoffInitial = "200ms")
    void produce() {
        try {
            while (true) {
                Async.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(producerDelayMs) + 1)); // waiting for the source
                long order = produced.incrementAndGet();
                ledger.write("produced", order);
                try {
                    orders.put(order);
                } catch (QueueShutDownException e) {
                    ledger.write("handed-back", order); // intake stopped while it waited for room
                    return;
                } catch (CancellationException e) {
                    ledger.write("handed-back", order); // restarted while it waited: a cancelled put never goes in
                    throw e;
                }
            }
        } finally {
            log.info("task 'producer' cleaned up after {} orders", produced.get());
        }
    }

    @BackgroundTask(name = "consumers", restart = Restart.ALWAYS, backoffInitial = "200ms", drainOnShutdown = true)
    void consume(TaskContext ctx) {
        TaskGroup workers = TaskGroup.create("workers");
        try {
            workers.run(() -> {
                for (int i = 1; i <= WORKERS; i++) {
                    workers.spawn("worker-" + i, this::work);
                }
            });
        } finally {
            log.info("task 'consumers' cleaned up (attempt {})", ctx.attempt());
        }
    }

    @Override
    public void stopIntake() {
        orders.shutdown();
    }

    @Override
    public void handBack() {
        List<Long> left = orders.shutdown(true);
        for (Long order : left) {
            ledger.write("handed-back", order);
        }
        log.info("handed back {} queued order(s)", left.size());
        ledger.close();
    }

    private void work() {
        while (true) {
            Long order;
            try {
                order = orders.get();
            } catch (QueueShutDownException e) {
                return;
            }
            boolean done = false;
            try {
                Async.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(workMs) + 1)); // simulated I/O per order
                if (switches.poison() && order % 50 == 0 && ThreadLocalRandom.current().nextInt(4) == 0) {
                    throw new IllegalStateException("poison order " + order);
                }
                done = true;
                consumed.incrementAndGet();
                firstOrders.countDown();
                ledger.write("consumed", order);
            } finally {
                if (!done) {
                    ledger.write("handed-back", order); // cancelled or failed mid-order: give it back
                }
                orders.taskDone();
            }
        }
    }
}
