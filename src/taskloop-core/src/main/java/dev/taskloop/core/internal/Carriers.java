package dev.taskloop.core.internal;

import dev.taskloop.core.Backend;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Where a loop's virtual threads run: the {@link Backend} of a loop. Every fiber's thread is made
 * here; the rest of the loop does not know which backend it runs on.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
sealed interface Carriers permits Carriers.Shared, Carriers.LoopCarrier {

    /** Makes (unstarted) the virtual thread of {@code task}, or of the loop's driver when it is {@code null}. */
    Thread newThread(@Nullable String name, @Nullable TaskImpl<?> task, Runnable body);

    /** Called by a task's own thread right after it released the baton for {@code offload} work. */
    void offloadStarted();

    /**
     * Called by a task's own thread once it holds the baton again after {@code offload} work (it
     * may have been handed the baton directly, without parking, still on an offload carrier).
     */
    void offloadEnded();

    static Carriers of(Backend backend, Loop loop) {
        return switch (backend) {
            case VIRTUAL_THREADS -> Shared.INSTANCE;
            case LOOP_CARRIER -> new LoopCarrier(loop);
        };
    }

    /** {@link Backend#VIRTUAL_THREADS}: the JDK's shared scheduler. */
    final class Shared implements Carriers {
        static final Shared INSTANCE = new Shared();

        @Override
        public Thread newThread(@Nullable String name, @Nullable TaskImpl<?> task, Runnable body) {
            // An unnamed task gets an unnamed thread: no string built per spawn for nobody to read.
            return (name == null ? Thread.ofVirtual() : Thread.ofVirtual().name(name)).unstarted(body);
        }

        @Override
        public void offloadStarted() {
        }

        @Override
        public void offloadEnded() {
        }
    }

    /**
     * {@link Backend#LOOP_CARRIER}: one platform carrier thread per loop runs every virtual thread of
     * the loop, so a hand-off (unpark the next, park self) queues the next continuation here and
     * yields to it, waking no other thread. A task in {@code offload} is routed to a shared pool of
     * carriers instead, for as long as its call runs.
     *
     * <p>The carrier parks when its queue is empty; whoever queues while it is parked unparks it
     * (the flag and the queue form a Dekker pair: queue-then-flag against flag-then-queue).
     */
    final class LoopCarrier implements Carriers, Executor {
        static final String FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";
        private static volatile @Nullable MethodHandle builderWithScheduler;
        private static final AtomicInteger POOL_IDS = new AtomicInteger();
        /** Carriers for offloaded work of every loop: blocking there must not stall a loop's own carrier. */
        private static final ExecutorService OFFLOAD_CARRIERS = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "taskloop-offload-carrier-" + POOL_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });

        private final Loop loop;
        /** Continuations to run: a multi-producer, single-consumer queue (Vyukov's): one exchange to add. */
        private final AtomicReference<Node> tail;
        /** The consumer's end, a sentinel whose successor is the next to run; only the carrier touches it. */
        private Node head;
        private final Thread carrier;
        private volatile boolean parked;
        /** Virtual threads made here and not yet ended; the carrier ends at 0 once the loop is closed. */
        private final AtomicInteger live = new AtomicInteger();
        private final MethodHandle newBuilder;

        LoopCarrier(Loop loop) {
            this.loop = loop;
            this.newBuilder = builderWithScheduler();
            this.head = new Node(null);
            this.tail = new AtomicReference<>(head);
            this.carrier = new Thread(this::carry, "taskloop-carrier-" + loop.name);
            carrier.setDaemon(true);
            carrier.start();
        }

        /** The JDK's package-private {@code VirtualThreadBuilder(Executor)}, or a message naming the flag. */
        static MethodHandle builderWithScheduler() {
            MethodHandle h = builderWithScheduler;
            if (h != null) {
                return h;
            }
            try {
                Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
                Constructor<?> k = c.getDeclaredConstructor(Executor.class);
                k.setAccessible(true);
                h = MethodHandles.lookup().unreflectConstructor(k).asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            } catch (RuntimeException | ReflectiveOperationException e) {
                throw new IllegalStateException("the Taskloop backend " + Backend.LOOP_CARRIER + " (" + Backend.PROPERTY + "="
                        + Backend.LOOP_CARRIER.propertyValue() + ") needs the JVM flag " + FLAG
                        + " to run virtual threads on a loop's own carrier (" + e + "); add the flag, or use the default backend "
                        + Backend.VIRTUAL_THREADS.propertyValue(), e);
            }
            builderWithScheduler = h;
            return h;
        }

        @Override
        public Thread newThread(@Nullable String name, @Nullable TaskImpl<?> task, Runnable body) {
            Executor scheduler = task == null ? this : r -> {
                if (task.offloading()) {
                    OFFLOAD_CARRIERS.execute(r);
                } else {
                    execute(r);
                }
            };
            Thread.Builder.OfVirtual b;
            try {
                b = (Thread.Builder.OfVirtual) newBuilder.invokeExact(scheduler);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot make a virtual thread on the carrier of event loop '" + loop.name + "'", e);
            }
            if (name != null) {
                b.name(name);
            }
            live.incrementAndGet();
            return b.unstarted(() -> {
                try {
                    body.run();
                } finally {
                    if (live.decrementAndGet() == 0) {
                        LockSupport.unpark(carrier);
                    }
                }
            });
        }

        @Override
        public void offloadStarted() {
            // Leave the loop's carrier now: the task is marked offloading, so it is mounted again on the pool.
            Thread.yield();
        }

        @Override
        public void offloadEnded() {
            // No longer offloading: a yield mounts the thread on the loop's carrier again.
            Thread.yield();
        }

        /** The scheduler of the loop's virtual threads: queue a continuation to run on the carrier. */
        @Override
        public void execute(Runnable r) {
            Node n = new Node(r);
            tail.getAndSet(n).next = n;
            if (parked) {
                LockSupport.unpark(carrier);
            }
        }

        /** The carrier only: the next continuation, or {@code null} if none is queued (or one is half added). */
        private @Nullable Runnable poll() {
            Node n = head.next;
            if (n == null) {
                if (head != tail.get()) {
                    // A producer swapped the tail but has not linked its node yet: a few instructions.
                    while ((n = head.next) == null) {
                        Thread.onSpinWait();
                    }
                } else {
                    return null;
                }
            }
            head = n;
            Runnable r = n.task;
            n.task = null;
            return r;
        }

        private static final class Node {
            @Nullable Runnable task;
            volatile @Nullable Node next;

            Node(@Nullable Runnable task) {
                this.task = task;
            }
        }

        private void carry() {
            while (true) {
                Runnable r = poll();
                if (r == null) {
                    parked = true;
                    r = poll();
                    if (r == null) {
                        if (live.get() == 0 && loop.state() == Loop.State.CLOSED) {
                            parked = false;
                            return;
                        }
                        LockSupport.park(this);
                        parked = false;
                        continue;
                    }
                    parked = false;
                }
                try {
                    r.run();
                } catch (Throwable e) {
                    Loop.LOG.log(System.Logger.Level.ERROR, "carrier of event loop '" + loop.name + "': a continuation threw", e);
                }
            }
        }
    }
}
