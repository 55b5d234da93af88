package dev.taskloop.core.queue;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link Queue} operations after {@link Queue#shutdown} (asyncio 3.13's
 * {@code QueueShutDown}): by {@code put} and {@code offer} at once, by {@code get} and {@code poll}
 * once the queue is empty. For a rejected put, {@link #item()} is the item that did not go in, so
 * the caller can hand it back: nothing vanishes.
 *
 * @since 0.1.0
 */
public class QueueShutDownException extends IllegalStateException {

    private final transient @Nullable Object item;

    public QueueShutDownException(String message, @Nullable Object item) {
        super(message);
        this.item = item;
    }

    /** The item a put or offer could not deliver, or {@code null} for a get. */
    public @Nullable Object item() {
        return item;
    }
}
