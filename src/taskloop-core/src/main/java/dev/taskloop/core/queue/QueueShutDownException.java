package dev.taskloop.core.queue;

/**
 * Thrown by {@link Queue} operations after {@link Queue#shutdown} (asyncio 3.13's
 * {@code QueueShutDown}): by {@code put} and {@code offer} at once, by {@code get} and {@code poll}
 * once the queue is empty. For a rejected put, {@link #item()} is the item that did not go in, so
 * the caller can hand it back: nothing vanishes.
 */
public class QueueShutDownException extends IllegalStateException {

    private final transient Object item;

    public QueueShutDownException(String message, Object item) {
        super(message);
        this.item = item;
    }

    /** The item a put or offer could not deliver, or {@code null} for a get. */
    public Object item() {
        return item;
    }
}
