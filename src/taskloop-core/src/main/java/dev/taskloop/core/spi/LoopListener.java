package dev.taskloop.core.spi;

import dev.taskloop.core.Task;
import java.util.List;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Told about the rare events of an {@link dev.taskloop.core.EventLoop}. Every method has an empty
 * default. Implementations must be thread-safe and fast, and must not block or call await points:
 * most methods are called by the loop's baton holder, so a slow listener slows the loop; the
 * watchdog and unobserved-failure reports come from their own threads. Whatever a listener (or its
 * lag observer) throws, {@code RuntimeException} or {@code Error}, is contained: the loop carries on
 * and the other listeners are told all the same; it is logged once per listener method per minute of
 * the loop's clock, the failures in between counted. A {@link VirtualMachineError} is the exception:
 * reported at {@code ERROR}, it closes the loop in order ({@link #fatalError}).
 *
 * @since 0.1.0
 */
public interface LoopListener {

    /** A task was spawned (called by the spawning thread). */
    default void taskSpawned(Task<?> task) {
    }

    /**
     * A task is about to run its body, on its own thread (holding the baton): the place to set
     * thread-bound context such as a logging MDC, which then lasts for the task's whole life.
     */
    default void taskStarting(Task<?> task) {
    }

    /** A task ended; {@code task} is its final snapshot, with its outcome. */
    default void taskEnded(TaskSnapshot task) {
    }

    /**
     * A step held the baton for at least the slow-step threshold (wall time). Called twice at most
     * per step kind: by the watchdog while the step is still running ({@link SlowStep#ongoing()},
     * with the live stack), and by the loop when it ends.
     */
    default void slowStep(SlowStep step) {
    }

    /**
     * A task failed and was garbage-collected without anyone retrieving its exception (asyncio's
     * "Task exception was never retrieved"). Once per task, from a cleaner thread.
     */
    default void unobservedFailure(TaskSnapshot task, Throwable failure) {
    }

    /**
     * A task caught the {@link dev.taskloop.core.CancelledException} of a cancelled scope and left
     * that scope (or ended) normally: cancellation was swallowed.
     */
    default void cancellationSwallowed(TaskSnapshot task, String scope) {
    }

    /**
     * An observer of every step's lag (the ready-to-running delay, in nanoseconds), for a metrics
     * histogram that replicas can aggregate. The loop asks once, when the listener is added. It is
     * called by the baton holder at every hand-off, under the loop's lock: it must be thread-safe,
     * take a few tens of nanoseconds at most and never block. Only called while the loop measures.
     *
     * @return the observer, or {@code null} (the default) for none
     */
    default @Nullable LongConsumer lagObserver() {
        return null;
    }

    /** A callback ({@code callSoon}, {@code callLater}, a done callback) threw. */
    default void callbackFailed(String callback, Throwable failure) {
    }

    /** The loop was closed and these tasks had not ended within the shutdown timeout. */
    default void shutdownStragglers(String loop, List<TaskSnapshot> stragglers) {
    }

    /**
     * A task ended while it still held a {@link dev.taskloop.core.sync.Lock}: the lock stays locked,
     * and every task waiting for it waits until it is cancelled. Called on the ending task's thread.
     *
     * @param task the final snapshot of the task that held the lock
     * @param lock the lock's name
     * @param waiting how many tasks were waiting for the lock then
     */
    default void lockAbandoned(TaskSnapshot task, String lock, int waiting) {
    }

    /**
     * A {@link VirtualMachineError} (out of memory, stack overflow...) was thrown on the loop:
     * by a task, which then ended {@code FAILED} (do not restart it: it is the JVM's failure, not the
     * task's; the JVM's own policy, such as {@code -XX:+ExitOnOutOfMemoryError}, acts), or by
     * integration code the loop called (a listener, an observer, a callback, a close hook), which
     * closes the loop in order. Called once per such task, and once per loop for integration code.
     *
     * @param loop the loop's name
     * @param where what threw it: {@code task 'name' (id 7)}, {@code listener ... (taskEnded)}...
     * @param error the error
     */
    default void fatalError(String loop, String where, VirtualMachineError error) {
    }
}
