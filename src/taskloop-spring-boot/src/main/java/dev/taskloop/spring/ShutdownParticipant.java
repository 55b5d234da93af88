package dev.taskloop.spring;

/**
 * A bean that takes part in Taskloop's orderly shutdown, the documented hook for work in flight.
 * The phases run in this order (see {@link ShutdownProgress.Phase}):
 * <ol>
 *   <li>{@link #stopIntake()}: take no new work — stop polling the broker, {@code queue.shutdown()}
 *       so producers stop and consumers drain what is queued;</li>
 *   <li>tasks declared with {@code drainOnShutdown} finish by themselves, for up to
 *       {@code taskloop.shutdown.drain-timeout};</li>
 *   <li>every task is cancelled and given up to {@code taskloop.shutdown.timeout} for its cleanup
 *       (an item a consumer holds when cancelled is its to hand back, in its {@code finally});</li>
 *   <li>{@link #handBack()}: give back what was not done — e.g. the items
 *       {@code queue.shutdown(true)} returns: nack them, re-publish them, persist them.</li>
 * </ol>
 * Both methods run on a shutdown thread, outside any task: they must not await, and should be quick.
 * An exception is logged and the shutdown goes on.
 *
 * @since 0.1.0
 */
public interface ShutdownParticipant {

    /** Stop taking new work. */
    default void stopIntake() {
    }

    /** Hand back the work that will not be done; every task has ended. */
    default void handBack() {
    }
}
