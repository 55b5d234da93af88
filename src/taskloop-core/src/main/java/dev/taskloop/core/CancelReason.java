package dev.taskloop.core;

import java.util.Objects;

/**
 * Why a cancellation was requested: who asked ({@link #origin()}, a type) and what they said
 * ({@link #message()}, for people). Given to {@link Task#cancel(CancelReason)},
 * {@link CancelScope#cancel(CancelReason)} and {@link TaskGroup#cancel(CancelReason)}; carried by
 * {@link CancelledException#reason()} and by task snapshots, pending and after the end. A plain
 * {@code String} reason is {@link #application(String) an application's}.
 *
 * @param origin who asked
 * @param message what they said, shown in {@link CancelledException}'s message and in snapshots
 * @since 0.1.0
 */
public record CancelReason(CancelOrigin origin, String message) {

    public CancelReason {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(message, "message");
    }

    /** A cancellation asked for by application code. */
    public static CancelReason application(String message) {
        return new CancelReason(CancelOrigin.APPLICATION, message);
    }

    /** A cancellation of {@code origin}. */
    public static CancelReason of(CancelOrigin origin, String message) {
        return new CancelReason(origin, message);
    }

    /** The message: what {@link CancelledException} and logs show. */
    @Override
    public String toString() {
        return message;
    }
}
