package dev.taskloop.core;

import java.util.Set;

/**
 * What {@link Async#wait(java.util.Collection, ReturnWhen)} returns: asyncio's {@code (done, pending)}.
 * Both sets are unmodifiable and iterate in the order the tasks were given; every task given is in
 * exactly one of them.
 *
 * @param done the tasks that had ended when the wait returned
 * @param pending the tasks still running; the wait did not cancel them
 * @param <K> the task type
 * @since 0.1.0
 */
public record WaitResult<K extends Task<?>>(Set<K> done, Set<K> pending) {
}
