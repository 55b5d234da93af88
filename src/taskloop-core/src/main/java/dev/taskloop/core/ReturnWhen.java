package dev.taskloop.core;

/**
 * When {@link Async#wait(java.util.Collection, ReturnWhen)} returns (asyncio's {@code return_when}).
 *
 * @since 0.1.0
 */
public enum ReturnWhen {
    /** As soon as any task has ended, however it ended. */
    FIRST_COMPLETED,
    /**
     * As soon as any task has {@linkplain Task.State#FAILED failed}, or when all have ended if none
     * does. A cancelled task is not a failure here, as in asyncio.
     */
    FIRST_EXCEPTION,
    /** When every task has ended. */
    ALL_COMPLETED
}
