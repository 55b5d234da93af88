package dev.taskloop.core.sync;

import dev.taskloop.core.internal.Waiter;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's {@code Event}: a flag that tasks wait for. {@link #set()} wakes every waiting task and
 * lets later {@link #await()} calls return at once, until {@link #clear()}.
 *
 * <ul>
 *   <li>{@link #await()} is an await point: it checks for cancellation first (even when the flag is
 *       set), then returns at once if the flag is set, or waits, releasing the baton.</li>
 *   <li>The waiters that {@link #set()} wakes return even if {@link #clear()} follows before they
 *       run, as in asyncio. A waiter cancelled before the wake-up throws {@code CancelledException}.</li>
 * </ul>
 *
 * <h2>Thread-safety</h2>
 * {@link #set()}, {@link #clear()} and {@link #isSet()} may be called from any thread, including
 * threads that are not tasks (a web request signalling a background task) and tasks of other
 * loops; {@link #await()} only from a task. State is guarded by a small internal lock that is never
 * held across an await.
 *
 * @since 0.1.0
 */
public final class Event {

    private final String name;
    private final ReentrantLock guard = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private volatile boolean set;

    /** An event named {@code Event-<n>}, not set. */
    public Event() {
        this(null);
    }

    /** An event with a name, shown in snapshots and errors; not set. */
    public Event(@Nullable String name) {
        this.name = Names.orDefault(name, "Event");
    }

    /** The event's name. */
    public String name() {
        return name;
    }

    /** Sets the flag and wakes every waiting task. Idempotent; any thread. */
    public void set() {
        if (set) {
            return;
        }
        guard.lock();
        try {
            if (set) {
                return;
            }
            set = true;
            Waiter w;
            while ((w = waiters.poll()) != null) {
                w.wake(Boolean.TRUE); // a cancelled waiter is skipped: it throws instead
            }
        } finally {
            guard.unlock();
        }
    }

    /** Clears the flag: later {@link #await()} calls wait for the next {@link #set()}. Any thread. */
    public void clear() {
        set = false;
    }

    /** Whether the flag is set; any thread. */
    public boolean isSet() {
        return set;
    }

    /**
     * Waits until the flag is set (asyncio's {@code wait()}). An await point.
     *
     * @throws dev.taskloop.core.CancelledException if the caller is cancelled
     * @throws IllegalStateException if the caller is not a task
     */
    public void await() {
        Waiter.checkpoint("Event.await()");
        if (set) {
            return;
        }
        Waiter w;
        guard.lock();
        try {
            if (set) {
                return;
            }
            w = Waiter.begin("Event.await()", "event", name, null);
            waiters.add(w);
        } finally {
            guard.unlock();
        }
        w.awaitIn(waiters, guard);
    }

    /** How many tasks wait now. */
    public int waiting() {
        guard.lock();
        try {
            return waiters.size();
        } finally {
            guard.unlock();
        }
    }

    @Override
    public String toString() {
        return "Event[" + name + ", " + (set ? "set" : "not set") + "]";
    }
}
