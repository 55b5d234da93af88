package dev.taskloop.core;

import java.util.Objects;

/**
 * Who asked for a cancellation, as a type: integrations (the endpoint's {@code cause}, the meters)
 * tell cancellations apart by their origin, never by parsing a message.
 *
 * <p>The core's own origins are the constants here; an integration or an application adds its own
 * with {@link #of} (the Spring integration's {@code supervisor}, {@code leadership} and
 * {@code operator}). Two origins are the same when their labels are: compare them with
 * {@code equals}.
 *
 * @param label lower-case words joined by {@code -}, as shown to operators ({@code timeout},
 *     {@code sibling-failure})
 * @since 0.1.0
 */
public record CancelOrigin(String label) {

    /** Application code called {@code cancel} (a task, a scope, a group, a task's future); the origin of a plain {@code String} reason. */
    public static final CancelOrigin APPLICATION = new CancelOrigin("application");
    /** A timeout around it expired ({@link Async#withTimeout}, {@link Timeout}). */
    public static final CancelOrigin TIMEOUT = new CancelOrigin("timeout");
    /** Its loop (or loop group) was shut down. */
    public static final CancelOrigin SHUTDOWN = new CancelOrigin("shutdown");
    /** Another task of its {@link TaskGroup}, or the group's body, failed. */
    public static final CancelOrigin SIBLING_FAILURE = new CancelOrigin("sibling-failure");
    /** The task awaiting it ({@code join}, {@code gather}) was cancelled, and cancelled it too (asyncio's {@code await task}). */
    public static final CancelOrigin JOINER_CANCELLED = new CancelOrigin("joiner-cancelled");
    /** It is the producer of a stream whose consumer closed it (or that closed with its task or loop). */
    public static final CancelOrigin STREAM_CLOSED = new CancelOrigin("stream-closed");
    /** Admission control shed it at spawn: it never ran. */
    public static final CancelOrigin ADMISSION = new CancelOrigin("admission");

    /**
     * @throws IllegalArgumentException if {@code label} is not lower-case letters and digits in
     *     words joined by single {@code -}
     */
    public CancelOrigin {
        Objects.requireNonNull(label, "label");
        if (!isWords(label)) {
            throw new IllegalArgumentException("a cancellation origin's label must be lower-case letters and digits in words joined by '-' "
                    + "(such as 'timeout' or 'sibling-failure'), but it was '" + label + "'");
        }
    }

    private static boolean isWords(String s) {
        boolean wordStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '-') {
                if (wordStart) {
                    return false;
                }
                wordStart = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                wordStart = false;
            } else {
                return false;
            }
        }
        return !wordStart;
    }

    /** The origin with this label (see {@link #CancelOrigin(String)}). */
    public static CancelOrigin of(String label) {
        return new CancelOrigin(label);
    }

    @Override
    public String toString() {
        return label;
    }
}
