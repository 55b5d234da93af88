package dev.taskloop.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.EventLoopGroup;
import dev.taskloop.core.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Done-when 2: 3 producers and 5 consumers move items through a bounded queue while consumers are
 * cancelled and replaced at random; afterwards every item id is accounted for exactly once:
 * consumed, handed back by {@code shutdown(true)}, rejected to its producer by the shutdown (the
 * item travels in the exception), or never sent because its producer had been told to stop.
 */
class QueueNothingLostTest {

    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 5;

    @Test
    void aMillionItemsAcrossTwoLoopsAreEachConsumedOnceOrHandedBack() {
        Outcome o = run(1_000_000, 2, false, 1);
        o.assertEveryItemAccountedForOnce();
        assertThat(o.consumed + o.dropped).as("every item was consumed or handed back by shutdown(true)").isEqualTo(1_000_000);
        assertThat(o.dropped).as("shutdown(true) handed back the 64 items the consumers left").isEqualTo(64);
    }

    @Test
    void aMillionItemsOnOneLoopWithAShutdownMidFlightAreEachAccountedForOnce() {
        Outcome o = run(1_000_000, 1, true, 2);
        o.assertEveryItemAccountedForOnce();
        assertThat(o.rejected + o.unsent).as("producers were stopped by the shutdown").isPositive();
    }

    @Test
    @Tag("stress")
    void manySeedsOnOneAndTwoLoopsWithAndWithoutAShutdownMidFlightLoseNothing() {
        for (long seed = 10; seed < 30; seed++) {
            run(1_000_000, 1 + (int) (seed % 2), seed % 4 < 2, seed).assertEveryItemAccountedForOnce();
        }
    }

    private record Outcome(int items, AtomicIntegerArray seen, long consumed, long dropped, long rejected, long unsent,
                           long cancellations, long cancelledInGet) {

        void assertEveryItemAccountedForOnce() {
            System.out.printf("nothing-lost: %d items: %d consumed, %d handed back by shutdown(true), %d rejected puts, %d unsent;"
                    + " %d consumer cancellations, %d inside get()%n", items, consumed, dropped, rejected, unsent, cancellations, cancelledInGet);
            List<String> bad = new ArrayList<>();
            for (int id = 0; id < items && bad.size() < 10; id++) {
                if (seen.get(id) != 1) {
                    bad.add("item " + id + " accounted for " + seen.get(id) + " times");
                }
            }
            assertThat(bad).as("items lost or duplicated").isEmpty();
            assertThat(consumed + dropped + rejected + unsent).isEqualTo(items);
            assertThat(consumed).as("most items went through").isGreaterThan(items / 2);
            assertThat(cancellations).as("consumers were cancelled and replaced").isGreaterThan(10);
            assertThat(cancelledInGet).as("some consumers were cancelled inside get()").isPositive();
        }
    }

    private static Outcome run(int items, int loops, boolean shutdownMidFlight, long seed) {
        Queue<Integer> q = Queue.fifo("pipe", 64);
        AtomicIntegerArray seen = new AtomicIntegerArray(items);
        AtomicLong consumed = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong unsent = new AtomicLong();
        AtomicLong cancellations = new AtomicLong();
        AtomicLong cancelledInGet = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong claimed = new AtomicLong();
        long quota = shutdownMidFlight ? Long.MAX_VALUE : items - 64;
        List<Task<Void>> consumers = new CopyOnWriteArrayList<>();
        long dropped;
        try (EventLoopGroup group = EventLoopGroup.create("nothing-lost", loops, EventLoop.builder().watchdog(false))) {
            EventLoop producerLoop = group.loop(0);
            EventLoop consumerLoop = group.loop(loops - 1);
            List<Task<Void>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int first = p;
                producers.add(producerLoop.spawn("producer-" + p, () -> {
                    for (int id = first; id < items; id += PRODUCERS) {
                        try {
                            q.put(id);
                        } catch (QueueShutDownException e) {
                            seen.incrementAndGet((Integer) e.item());
                            rejected.incrementAndGet();
                            for (int rest = id + PRODUCERS; rest < items; rest += PRODUCERS) {
                                seen.incrementAndGet(rest);
                                unsent.incrementAndGet();
                            }
                            return;
                        }
                    }
                }));
            }
            SplittableRandom rnd = new SplittableRandom(seed);
            List<Task<Void>> active = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                active.add(consumerLoop.spawn("consumer-" + c, consumer(q, seen, consumed, cancelledInGet, claimed, quota, rnd.split())));
            }
            consumers.addAll(active);
            SplittableRandom r = rnd.split();
            Task<Void> supervisor = consumerLoop.spawn("supervisor", () -> {
                int generation = CONSUMERS;
                while (!stop.get()) {
                    Async.sleep(Duration.ofNanos(r.nextLong(20_000, 300_000)));
                    int victim = r.nextInt(CONSUMERS);
                    if (active.get(victim).cancel("random cancellation")) {
                        cancellations.incrementAndGet();
                    }
                    Task<Void> fresh = Async.spawn("consumer-" + generation++, consumer(q, seen, consumed, cancelledInGet, claimed, quota, r.split()));
                    active.set(victim, fresh);
                    consumers.add(fresh);
                }
            });
            List<Integer> handedBack;
            if (shutdownMidFlight) {
                awaitUntil(() -> consumed.get() >= items * 0.6, () -> describe(group, q));
            }
            if (shutdownMidFlight) {
                handedBack = q.shutdown(true); // consumers, producers and the supervisor all still running
                stop.set(true);
                supervisor.join(Duration.ofMinutes(1));
            } else {
                // The consumers stop claiming items 64 short of the end, so the producers finish and the
                // last items wait in the queue: shutdown(true) hands them back.
                for (Task<Void> p : producers) {
                    p.join(Duration.ofMinutes(5));
                }
                stop.set(true);
                supervisor.join(Duration.ofMinutes(1));
                for (Task<Void> c : consumers) {
                    c.cancel("the test has consumed its share");
                }
                joinAll(consumers);
                handedBack = q.shutdown(true);
            }
            for (int id : handedBack) {
                seen.incrementAndGet(id);
            }
            dropped = handedBack.size();
            for (Task<Void> p : producers) {
                p.join(Duration.ofMinutes(5));
            }
            joinAll(consumers);
        }
        return new Outcome(items, seen, consumed.get(), dropped, rejected.get(), unsent.get(), cancellations.get(), cancelledInGet.get());
    }

    /** Polls {@code condition} for up to a minute; on a timeout the error shows {@code state}, computed then and only then. */
    private static void awaitUntil(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> state) {
        try {
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("condition not reached within 1 minute; " + state.get(), e);
        }
    }

    private static String describe(EventLoopGroup group, Queue<?> q) {
        StringBuilder sb = new StringBuilder(q.toString());
        for (EventLoop l : group.loops()) {
            sb.append("\n").append(l.snapshot());
            for (Task<?> t : l.tasks()) {
                sb.append("\n  ").append(t.snapshot().name()).append(' ').append(t.state()).append(' ').append(t.snapshot().awaiting());
                if (t.state() != Task.State.ASLEEP) {
                    for (StackTraceElement e : t.stackTrace()) {
                        sb.append("\n      at ").append(e);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static void joinAll(List<Task<Void>> tasks) {
        for (Task<Void> c : tasks) {
            try {
                c.join(Duration.ofMinutes(1));
            } catch (CancelledException expected) {
                // a consumer that was cancelled
            }
        }
    }

    private static dev.taskloop.core.AsyncRunnable<RuntimeException> consumer(Queue<Integer> q, AtomicIntegerArray seen, AtomicLong consumed,
                                                                              AtomicLong cancelledInGet, AtomicLong claimed, long quota,
                                                                              SplittableRandom r) {
        return () -> {
            while (true) {
                if (claimed.incrementAndGet() > quota) { // enough consumed: idle until the test ends
                    claimed.decrementAndGet();
                    Async.sleep(Duration.ofNanos(100_000));
                    continue;
                }
                int id;
                try {
                    id = q.get();
                } catch (QueueShutDownException drained) {
                    claimed.decrementAndGet();
                    return;
                } catch (CancelledException c) {
                    claimed.decrementAndGet(); // the claim took no item
                    cancelledInGet.incrementAndGet();
                    throw c;
                }
                seen.incrementAndGet(id); // no await point between get() returning and this line
                consumed.incrementAndGet();
                if (r.nextInt(8) == 0) {
                    Async.yieldNow();
                }
            }
        };
    }
}
