package dev.taskloop.core.internal;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.AsyncRunnable;

/**
 * The one adapter between the two body types: every {@code AsyncRunnable} overload reaches its {@code AsyncCallable} twin through it.
 *
 * @since 0.1.0
 */
public final class Bodies {

    private Bodies() {
    }

    /** {@code body} as a callable that returns {@code null}; what {@code body} throws passes through unchanged. */
    public static <E extends Exception> AsyncCallable<Void, E> callable(AsyncRunnable<E> body) {
        return () -> {
            body.run();
            return null;
        };
    }
}
