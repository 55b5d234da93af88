package dev.taskloop.actuate;

import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.core.spi.SlowStep;
import dev.taskloop.core.spi.TaskSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the endpoint and the health indicator remember of the loops' rare events: a bounded history
 * of recently ended tasks (with their final snapshot, which says why they ended) and, per loop, the
 * watchdog's latest report of a step still holding the baton (whether the holder was blocked in a
 * non-Taskloop wait, and its thread state).
 *
 * <p>Added to every loop as a {@link LoopListener}. {@link #taskEnded} runs on the ending task's
 * thread while it holds the baton, so it only stores a reference in a ring: the cost is a
 * timestamp and a short critical section per ended task.
 *
 * @since 0.1.0
 */
public final class RecentEvents implements LoopListener {

    /**
     * A task that ended.
     *
     * @param task its final snapshot
     * @param endedAt wall-clock time it ended
     */
    public record Ended(TaskSnapshot task, Instant endedAt) {
    }

    /**
     * The watchdog's latest report of a step still holding a loop's baton.
     *
     * @param step the report
     * @param reportedAtNanos {@link System#nanoTime()} when it arrived
     */
    public record StuckReport(SlowStep step, long reportedAtNanos) {

        /** {@link System#nanoTime()} when the reported step began. */
        public long stepStartNanos() {
            return reportedAtNanos - step.heldFor().toNanos();
        }
    }

    /**
     * A {@link VirtualMachineError} thrown on a loop (by a task, or by integration code the loop
     * called): the health component is {@code DOWN} from then on, saying why.
     *
     * @param loop the loop's name
     * @param where what threw it ({@code task 'name' (id 7)}, a listener...)
     * @param error its class and message
     * @param at wall-clock time it was reported
     */
    public record FatalError(String loop, String where, String error, Instant at) {
    }

    /** The first few fatal errors; a JVM that carries on after one is expected to end soon (ExitOnOutOfMemoryError). */
    private static final int MAX_FATAL = 10;
    private final java.util.concurrent.CopyOnWriteArrayList<FatalError> fatal = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Ended[] ring;
    private long next;
    private final Map<String, StuckReport> stuck = new ConcurrentHashMap<>();

    /** @param capacity how many ended tasks to remember (0: none) */
    public RecentEvents(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be zero or more, was " + capacity);
        }
        this.ring = new Ended[capacity];
    }

    /** How many ended tasks are remembered at most. */
    public int capacity() {
        return ring.length;
    }

    @Override
    public void taskEnded(TaskSnapshot task) {
        if (ring.length == 0) {
            return;
        }
        Ended e = new Ended(task, Instant.now());
        synchronized (this) {
            ring[(int) (next++ % ring.length)] = e;
        }
    }

    @Override
    public void slowStep(SlowStep step) {
        if (step.ongoing()) {
            stuck.put(step.loop(), new StuckReport(step, System.nanoTime()));
        }
    }

    @Override
    public void fatalError(String loop, String where, VirtualMachineError error) {
        if (fatal.size() < MAX_FATAL) {
            fatal.add(new FatalError(loop, where, String.valueOf(error), Instant.now()));
        }
    }

    /** The fatal errors reported so far (at most the first ten), oldest first. */
    public List<FatalError> fatalErrors() {
        return List.copyOf(fatal);
    }

    /** The remembered ended tasks, newest first. */
    public synchronized List<Ended> ended() {
        List<Ended> out = new ArrayList<>(ring.length);
        for (long i = next - 1; i >= 0 && i >= next - ring.length; i--) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    /** A remembered ended task by id. */
    public synchronized Optional<Ended> ended(long id) {
        for (Ended e : ring) {
            if (e != null && e.task().id() == id) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The watchdog's latest report about the step {@code s} shows holding its loop's baton, if there is one. */
    public Optional<StuckReport> stuckReport(LoopSnapshot s) {
        return stuckReport(s.name(), s.holderId(), System.nanoTime() - s.heldForNanos());
    }

    /**
     * The watchdog's latest report for {@code loop} if it is about the step running now: same task,
     * and a step start within 50 ms of {@code stepStartNanos} (the watchdog and the snapshot read
     * the clock at slightly different moments).
     */
    public Optional<StuckReport> stuckReport(String loop, long taskId, long stepStartNanos) {
        StuckReport r = stuck.get(loop);
        if (r == null || r.step().taskId() != taskId || Math.abs(r.stepStartNanos() - stepStartNanos) > 50_000_000L) {
            return Optional.empty();
        }
        return Optional.of(r);
    }
}
