package dev.taskloop.core.queue;

import dev.taskloop.core.internal.Waiter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's {@code Queue}, {@code LifoQueue} and {@code PriorityQueue} (CPython 3.13, with
 * {@code shutdown}): a queue between producer and consumer tasks whose waits are await points.
 *
 * <pre>{@code
 * Queue<Job> jobs = Queue.fifo("jobs", 100);       // bounded: put() waits while 100 items are queued
 * // producer task                                  // consumer task
 * jobs.put(job);                                    Job j = jobs.get();
 *                                                   try { handle(j); } finally { jobs.taskDone(); }
 * jobs.join();                                      // waits until every item put was marked done
 * List<Job> unhandled = jobs.shutdown(true);        // stop now, and get back what was still queued
 * }</pre>
 *
 * <h2>Operations</h2>
 * <table>
 *   <caption>Queue operations and their asyncio counterparts</caption>
 *   <tr><th>here</th><th>asyncio</th><th>when it cannot proceed</th></tr>
 *   <tr><td>{@link #put}</td><td>{@code await put()}</td><td>waits while full</td></tr>
 *   <tr><td>{@link #get}</td><td>{@code await get()}</td><td>waits while empty</td></tr>
 *   <tr><td>{@link #offer}</td><td>{@code put_nowait()}</td><td>returns {@code false} when full</td></tr>
 *   <tr><td>{@link #poll}</td><td>{@code get_nowait()}</td><td>returns {@code null} when empty</td></tr>
 *   <tr><td>{@link #taskDone}, {@link #join}</td><td>{@code task_done()}, {@code join()}</td><td>{@code join} waits</td></tr>
 *   <tr><td>{@link #shutdown(boolean)}</td><td>{@code shutdown(immediate)}</td><td>returns what it dropped</td></tr>
 * </table>
 * {@code offer} and {@code poll} follow {@link java.util.Queue}: "full" and "empty" are ordinary
 * answers ({@code false}, {@code null}), not exceptions; so items must not be {@code null}. A
 * shut-down queue is not an ordinary answer: both throw {@link QueueShutDownException}, as
 * asyncio's {@code put_nowait}/{@code get_nowait} do, so a polling consumer learns that no item will
 * ever come.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>The waits ({@code put}, {@code get}, {@code join}) are await points: they check for
 *       cancellation first, then proceed at once if they can, or release the baton.</li>
 *   <li>Waiters are served in FIFO order by direct hand-off: a put into an empty queue with waiting
 *       getters gives the item to the first of them; a get from a full queue with waiting putters
 *       moves the first putter's item in. No later caller can overtake a waiter.</li>
 *   <li>A cancelled waiter never takes an item, and a cancelled putter's item never goes in: the
 *       hand-off skips them. A getter that was handed an item returns it even if a cancellation
 *       arrives afterwards (its next await point throws), so no item is lost between the two.</li>
 *   <li>{@link #shutdown()}: puts fail, getters drain what is left, then fail; waiting putters fail
 *       with their item in the exception. {@link #shutdown(boolean) shutdown(true)} also drops
 *       every queued item, marks them done for {@link #join}, and returns them in get order.</li>
 *   <li>Priority queues return the smallest item first; equal items come out in the order they
 *       were put (asyncio compares the items themselves; a stable order is kinder to Java types).</li>
 * </ul>
 *
 * <h2>Thread-safety</h2>
 * A queue may be shared by tasks of different loops, and fed or drained by threads that are not
 * tasks through the non-waiting operations ({@link #offer}, {@link #poll}, {@link #taskDone},
 * {@link #shutdown}, the queries): a web request can {@code offer} into a queue that a background
 * task {@code get}s from. The waiting operations must be called from a task. State is guarded by
 * a small internal lock that is never held across an await.
 *
 * @param <E> the item type
 * @since 0.1.0
 */
public final class Queue<E> {

    /** The capacity of an unbounded queue (asyncio's {@code maxsize=0}). */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    private static final AtomicLong IDS = new AtomicLong();
    private static final Object ACCEPTED = new Object();
    private static final Object SHUT_DOWN = new Object();

    private enum Order { FIFO, LIFO, PRIORITY }

    private record Putter(Waiter waiter, Object item) {
    }

    private record Ranked<E>(E item, long seq) {
    }

    private final String name;
    private final int capacity;
    private final Order order;
    private final ReentrantLock guard = new ReentrantLock();
    private final @Nullable ArrayDeque<E> deque;
    private final @Nullable PriorityQueue<Ranked<E>> heap;
    private long seq;
    private final ArrayDeque<Waiter> getters = new ArrayDeque<>();
    private final ArrayDeque<Putter> putters = new ArrayDeque<>();
    private final ArrayDeque<Waiter> joiners = new ArrayDeque<>();
    private int unfinished;
    private volatile boolean shutdown;

    private Queue(@Nullable String name, int capacity, Order order, @Nullable Comparator<? super E> comparator) {
        this.name = name == null || name.isBlank() ? "Queue-" + IDS.incrementAndGet() : name;
        if (capacity < 1) {
            throw new IllegalArgumentException("queue '" + this.name + "' needs a capacity of at least 1, but got "
                    + capacity + " (use Queue.UNBOUNDED for no limit)");
        }
        this.capacity = capacity;
        this.order = order;
        if (order == Order.PRIORITY) {
            Comparator<? super E> c = Objects.requireNonNull(comparator, "comparator");
            Comparator<Ranked<E>> byItem = (a, b) -> c.compare(a.item, b.item);
            this.heap = new PriorityQueue<>(byItem.thenComparingLong(Ranked::seq));
            this.deque = null;
        } else {
            this.deque = new ArrayDeque<>();
            this.heap = null;
        }
    }

    /** An unbounded first-in-first-out queue (asyncio's {@code Queue()}). */
    public static <E> Queue<E> fifo(@Nullable String name) {
        return new Queue<>(name, UNBOUNDED, Order.FIFO, null);
    }

    /**
     * A first-in-first-out queue holding at most {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> Queue<E> fifo(@Nullable String name, int capacity) {
        return new Queue<>(name, capacity, Order.FIFO, null);
    }

    /** A last-in-first-out queue (asyncio's {@code LifoQueue}) holding at most {@code capacity} items. */
    public static <E> Queue<E> lifo(@Nullable String name, int capacity) {
        return new Queue<>(name, capacity, Order.LIFO, null);
    }

    /** A priority queue (asyncio's {@code PriorityQueue}), smallest item first by natural order. */
    public static <E extends Comparable<? super E>> Queue<E> priority(@Nullable String name, int capacity) {
        return new Queue<>(name, capacity, Order.PRIORITY, Comparator.naturalOrder());
    }

    /** A priority queue, smallest item first by {@code comparator}; ties in put order. */
    public static <E> Queue<E> priority(@Nullable String name, int capacity, Comparator<? super E> comparator) {
        return new Queue<>(name, capacity, Order.PRIORITY, comparator);
    }

    // ------------------------------------------------------------------ the waits

    /**
     * Puts {@code item}, waiting while the queue is full. An await point.
     *
     * @throws QueueShutDownException if the queue is or becomes shut down (the item did not go in)
     * @throws dev.taskloop.core.CancelledException if the caller is cancelled (the item did not go in)
     * @throws NullPointerException if {@code item} is null
     */
    public void put(E item) {
        requireItem(item);
        Waiter.checkpoint("Queue.put()");
        Waiter w;
        guard.lock();
        try {
            if (shutdown) {
                throw shutDown("put", item);
            }
            if (insertLocked(item)) {
                return;
            }
            w = Waiter.begin("Queue.put()", "queue.put", name, null);
            putters.add(new Putter(w, item));
        } finally {
            guard.unlock();
        }
        Object v = w.await();
        if (v == Waiter.CANCELLED) {
            guard.lock();
            try {
                putters.removeIf(p -> p.waiter == w);
            } finally {
                guard.unlock();
            }
            throw w.cancellation();
        }
        if (v == SHUT_DOWN) {
            throw shutDown("put", item);
        }
        // ACCEPTED: a getter moved the item in for us.
    }

    /**
     * Removes and returns the next item, waiting while the queue is empty. An await point.
     *
     * @throws QueueShutDownException if the queue is shut down and empty
     * @throws dev.taskloop.core.CancelledException if the caller is cancelled (it took no item)
     */
    @SuppressWarnings("unchecked")
    public E get() {
        Waiter.checkpoint("Queue.get()");
        Waiter w;
        guard.lock();
        try {
            if (sizeLocked() > 0) {
                return removeLocked();
            }
            if (shutdown) {
                throw shutDown("get", null);
            }
            w = Waiter.begin("Queue.get()", "queue.get", name, null);
            getters.add(w);
        } finally {
            guard.unlock();
        }
        Object v = w.awaitIn(getters, guard);
        if (v == SHUT_DOWN) {
            throw shutDown("get", null);
        }
        return (E) v;
    }

    /**
     * Waits until every item put so far has been marked done with {@link #taskDone()} (asyncio's
     * {@code join()}); returns at once if none is unfinished. An await point.
     */
    public void join() {
        Waiter.checkpoint("Queue.join()");
        Waiter w;
        guard.lock();
        try {
            if (unfinished == 0) {
                return;
            }
            w = Waiter.begin("Queue.join()", "queue.join", name, null);
            joiners.add(w);
        } finally {
            guard.unlock();
        }
        w.awaitIn(joiners, guard);
    }

    // ------------------------------------------------------------------ the non-waiting operations

    /**
     * Puts {@code item} if there is room, without waiting (asyncio's {@code put_nowait}). Any thread.
     *
     * @return {@code true} if the item went in (or straight to a waiting getter), {@code false} if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     * @throws NullPointerException if {@code item} is null
     */
    public boolean offer(E item) {
        requireItem(item);
        guard.lock();
        try {
            if (shutdown) {
                throw shutDown("offer", item);
            }
            return insertLocked(item);
        } finally {
            guard.unlock();
        }
    }

    /**
     * Removes and returns the next item without waiting (asyncio's {@code get_nowait}). Any thread.
     *
     * @return the item, or {@code null} if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public @Nullable E poll() {
        guard.lock();
        try {
            if (sizeLocked() > 0) {
                return removeLocked();
            }
            if (shutdown) {
                throw shutDown("poll", null);
            }
            return null;
        } finally {
            guard.unlock();
        }
    }

    /**
     * Marks one item as processed (asyncio's {@code task_done()}); when every item put has been,
     * {@link #join} returns. Any thread.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        guard.lock();
        try {
            if (unfinished <= 0) {
                throw new IllegalStateException("queue '" + name + "': taskDone() was called more times than items were put"
                        + " (0 unfinished items, " + sizeLocked() + " queued); call it once per item taken with get() or poll()");
            }
            if (--unfinished == 0) {
                wakeAll(joiners, Boolean.TRUE);
            }
        } finally {
            guard.unlock();
        }
    }

    /** {@link #shutdown(boolean) shutdown(false)}: puts fail at once, gets drain the queue, then fail. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (asyncio 3.13's {@code shutdown(immediate)}). Puts and offers fail from
     * now on, and waiting putters fail with {@link QueueShutDownException} carrying their item.
     * Without {@code immediate}, gets go on until the queue is empty, then fail. With
     * {@code immediate}, the queued items are removed at once and counted as done for
     * {@link #join}, waiting getters fail, and the removed items are returned so that the caller
     * can hand them back: nothing vanishes. Idempotent; any thread.
     *
     * @return the items removed, in the order {@link #get} would have returned them; empty unless {@code immediate}
     */
    public List<E> shutdown(boolean immediate) {
        guard.lock();
        try {
            shutdown = true;
            List<E> dropped = List.of();
            if (immediate) {
                List<E> d = new ArrayList<>(sizeLocked());
                while (sizeLocked() > 0) {
                    d.add(takeLocked());
                }
                dropped = d;
                unfinished = Math.max(0, unfinished - d.size());
                if (unfinished == 0) {
                    wakeAll(joiners, Boolean.TRUE);
                }
            }
            wakeAll(getters, SHUT_DOWN); // getters only wait while the queue is empty
            Putter p;
            while ((p = putters.poll()) != null) {
                p.waiter.wake(SHUT_DOWN);
            }
            return dropped;
        } finally {
            guard.unlock();
        }
    }

    // ------------------------------------------------------------------ queries

    /** The queue's name. */
    public String name() {
        return name;
    }

    /** The most items it holds; {@link #UNBOUNDED} for no limit. */
    public int capacity() {
        return capacity;
    }

    /** Items queued now (asyncio's {@code qsize()}). */
    public int size() {
        guard.lock();
        try {
            return sizeLocked();
        } finally {
            guard.unlock();
        }
    }

    /** Whether no item is queued. */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** Whether the queue holds {@link #capacity()} items. */
    public boolean isFull() {
        return size() >= capacity;
    }

    /** Whether {@link #shutdown} was called. */
    public boolean isShutdown() {
        return shutdown;
    }

    /** Items put and not yet marked done with {@link #taskDone()}. */
    public int unfinished() {
        guard.lock();
        try {
            return unfinished;
        } finally {
            guard.unlock();
        }
    }

    /** Tasks waiting in {@link #get()} now. */
    public int waitingGetters() {
        guard.lock();
        try {
            return getters.size();
        } finally {
            guard.unlock();
        }
    }

    /** Tasks waiting in {@link #put} now. */
    public int waitingPutters() {
        guard.lock();
        try {
            return putters.size();
        } finally {
            guard.unlock();
        }
    }

    @Override
    public String toString() {
        guard.lock();
        try {
            return "Queue[" + name + ", " + order + ", " + sizeLocked() + "/" + (capacity == UNBOUNDED ? "unbounded" : capacity)
                    + (shutdown ? ", shut down" : "") + ", " + getters.size() + " getters, " + putters.size() + " putters waiting]";
        } finally {
            guard.unlock();
        }
    }

    // ------------------------------------------------------------------ under the guard

    /** Hands {@code item} to a waiting getter, or stores it if there is room; counts it unfinished. */
    private boolean insertLocked(E item) {
        Waiter g;
        while ((g = getters.poll()) != null) {
            if (g.wake(item)) {
                unfinished++;
                return true;
            }
        }
        if (sizeLocked() < capacity) {
            store(item);
            unfinished++;
            return true;
        }
        return false;
    }

    /** Takes the next item and lets the first live putter's item in. */
    private E removeLocked() {
        E e = takeLocked();
        Putter p;
        while ((p = putters.poll()) != null) {
            if (p.waiter.wake(ACCEPTED)) {
                @SuppressWarnings("unchecked")
                E item = (E) p.item;
                store(item);
                unfinished++;
                break;
            }
        }
        return e;
    }

    private void store(E item) {
        if (heap != null) {
            heap.add(new Ranked<>(item, seq++));
        } else {
            deque.addLast(item);
        }
    }

    private E takeLocked() {
        return switch (order) {
            case FIFO -> deque.pollFirst();
            case LIFO -> deque.pollLast();
            case PRIORITY -> heap.poll().item;
        };
    }

    private int sizeLocked() {
        return heap != null ? heap.size() : deque.size();
    }

    private static void wakeAll(ArrayDeque<Waiter> ws, Object value) {
        Waiter w;
        while ((w = ws.poll()) != null) {
            w.wake(value);
        }
    }

    private void requireItem(E item) {
        if (item == null) {
            throw new NullPointerException("queue '" + name + "' does not accept null items (poll() uses null for 'empty')");
        }
    }

    private QueueShutDownException shutDown(String op, @Nullable Object item) {
        return new QueueShutDownException("queue '" + name + "' is shut down; " + op + "()"
                + (item != null ? " rejected item " + item + " (it did not go in: see item())"
                : " found it empty, and no item will come") , item);
    }
}
