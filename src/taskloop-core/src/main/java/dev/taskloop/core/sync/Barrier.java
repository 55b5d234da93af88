package dev.taskloop.core.sync;

import dev.taskloop.core.internal.Waiter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's {@code Barrier}: {@link #await()} waits until {@link #parties()} tasks have called it,
 * then lets them all through together; the barrier is then empty and reusable.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link #await()} is an await point. The task that completes the count does not wait: it
 *       wakes the others and returns at once.</li>
 *   <li>Each passing task gets an index in {@code [0, parties)}: its place in arrival order among
 *       the tasks that pass, the last arrival getting the highest.</li>
 *   <li>A task cancelled while it waits leaves the barrier, which then waits for one more arrival
 *       (asyncio's behaviour; a {@link java.util.concurrent.CyclicBarrier} would break instead). A task
 *       cancelled at the very moment the barrier fills throws its {@code CancelledException}; the
 *       others pass.</li>
 *   <li>{@link #abort()} breaks the barrier: waiting and later tasks get {@link BrokenBarrierException}
 *       until {@link #reset()}, which also breaks the waiters it finds, then empties the barrier.</li>
 * </ul>
 *
 * <h2>Thread-safety</h2>
 * Shareable by tasks of different loops; {@link #abort()}, {@link #reset()} and the queries may be
 * called from any thread, {@link #await()} only from a task.
 *
 * @since 0.1.0
 */
public final class Barrier {

    private static final Object BROKEN = new Object();

    private final String name;
    private final int parties;
    private final ReentrantLock guard = new ReentrantLock();
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean broken;

    /** A barrier named {@code Barrier-<n>} for {@code parties} tasks. */
    public Barrier(int parties) {
        this(null, parties);
    }

    /**
     * A barrier with a name.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(@Nullable String name, int parties) {
        this.name = Names.orDefault(name, "Barrier");
        if (parties < 1) {
            throw new IllegalArgumentException("barrier '" + this.name + "' needs at least 1 party, but got " + parties);
        }
        this.parties = parties;
    }

    /** The barrier's name. */
    public String name() {
        return name;
    }

    /**
     * Waits until {@link #parties()} tasks are waiting, then passes with them.
     *
     * @return this task's index among those that passed, in arrival order
     * @throws BrokenBarrierException if the barrier is or becomes broken
     * @throws dev.taskloop.core.CancelledException if the caller is cancelled while it waits
     */
    public int await() {
        Waiter.checkpoint("Barrier.await()");
        Waiter w;
        guard.lock();
        try {
            if (broken) {
                throw broken("is broken");
            }
            if (waiters.size() + 1 >= parties) {
                int index = 0;
                for (Waiter x : waiters) {
                    if (x.wake(index)) {
                        index++;
                    }
                }
                waiters.clear();
                return index;
            }
            w = Waiter.begin("Barrier.await()", "barrier", name, null);
            waiters.add(w);
        } finally {
            guard.unlock();
        }
        Object v = w.awaitIn(waiters, guard);
        if (v == BROKEN) {
            throw broken("was broken while this task waited");
        }
        return (Integer) v;
    }

    /** Breaks the barrier: waiting tasks and later arrivals get {@link BrokenBarrierException}. Any thread. */
    public void abort() {
        guard.lock();
        try {
            broken = true;
            breakWaiters();
        } finally {
            guard.unlock();
        }
    }

    /** Breaks the tasks waiting now, then returns the barrier to its empty, usable state. Any thread. */
    public void reset() {
        guard.lock();
        try {
            breakWaiters();
            broken = false;
        } finally {
            guard.unlock();
        }
    }

    private void breakWaiters() {
        for (Waiter x : waiters) {
            x.wake(BROKEN);
        }
        waiters.clear();
    }

    /** How many tasks must arrive for the barrier to let them through. */
    public int parties() {
        return parties;
    }

    /** How many tasks wait now (asyncio's {@code n_waiting}). */
    public int waiting() {
        guard.lock();
        try {
            return waiters.size();
        } finally {
            guard.unlock();
        }
    }

    /** Whether the barrier is broken. */
    public boolean isBroken() {
        guard.lock();
        try {
            return broken;
        } finally {
            guard.unlock();
        }
    }

    private BrokenBarrierException broken(String how) {
        return new BrokenBarrierException("barrier '" + name + "' (" + parties + " parties) " + how
                + ": abort() or reset() was called; reset() makes it usable again");
    }

    @Override
    public String toString() {
        return "Barrier[" + name + ", " + waiting() + "/" + parties + " waiting" + (isBroken() ? ", broken" : "") + "]";
    }
}
