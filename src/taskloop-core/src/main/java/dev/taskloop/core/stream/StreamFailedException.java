package dev.taskloop.core.stream;

/**
 * Thrown to the consumer of an {@link AsyncStream} when its producer failed (the cause is what the
 * producer threw, unchanged) or was cancelled by something other than the stream's own closing.
 * Wrapping keeps the consumer's stack and never hides a checked exception.
 *
 * @since 0.1.0
 */
public class StreamFailedException extends RuntimeException {

    private final String stream;

    public StreamFailedException(String stream, Throwable cause) {
        super("stream '" + stream + "' failed: its producer " + (cause instanceof java.util.concurrent.CancellationException
                ? "was cancelled (" + cause.getMessage() + ")" : "threw " + cause), cause);
        this.stream = stream;
    }

    /** The stream's name. */
    public String stream() {
        return stream;
    }
}
