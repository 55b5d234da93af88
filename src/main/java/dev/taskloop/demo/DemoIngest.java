package dev.taskloop.demo;

import dev.taskloop.core.Async;
import dev.taskloop.core.TaskGroup;
import dev.taskloop.core.queue.Queue;
import dev.taskloop.core.queue.QueueShutDownException;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.annotation.BackgroundTask;
import dev.taskloop.spring.annotation.Restart;
import dev.taskloop.spring.annotation.Strategy;
import dev.taskloop.spring.annotation.SupervisedGroup;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The demo's supervised ingest group: a {@code producer} that reads "orders" from a simulated
 * source into a bounded queue, and {@code consumers}, which run three workers taking orders from
 * it. The queue pushes back: when the workers fall behind, the producer waits in {@code put}. The
 * group is ONE_FOR_ALL: if either task fails, both restart, with a fresh view of the source.
 * Every fiftieth order is "poison" and fails its worker once in a while, to show restarts.
 */
@Component
@SupervisedGroup(name = "ingest", strategy = Strategy.ONE_FOR_ALL, maxRestarts = 20, restartWindow = "1m")
public class DemoIngest {

    private static final Logger log = LoggerFactory.getLogger(DemoIngest.class);
    static final int WORKERS = 3;

    private final Queue<Long> orders = Queue.fifo("orders", 50);
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
                Async.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(2, 10))); // waiting for the source
                orders.put(produced.incrementAndGet());
            }
        } finally {
            log.info("task 'producer' cleaned up after {} orders", produced.get());
        }
    }

    @BackgroundTask(name = "consumers", restart = Restart.ALWAYS, backoffInitial = "200ms")
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

    private void work() {
        while (true) {
            Long order;
            try {
                order = orders.get();
            } catch (QueueShutDownException e) {
                return;
            }
            try {
                Async.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(5, 25))); // simulated I/O per order
                if (order % 50 == 0 && ThreadLocalRandom.current().nextInt(4) == 0) {
                    throw new IllegalStateException("poison order " + order);
                }
                consumed.incrementAndGet();
                firstOrders.countDown();
            } finally {
                orders.taskDone();
            }
        }
    }
}
