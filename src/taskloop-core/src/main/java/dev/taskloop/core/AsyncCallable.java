package dev.taskloop.core;

import org.jspecify.annotations.Nullable;

/**
 * A body that returns a value and may throw {@code E}. Bodies run inside a task; exceptions of the
 * declared type pass through the Taskloop call that ran them unchanged (a {@link CancelScope},
 * {@link Timeout} or {@link Async#offload offload} body), so no checked exception is wrapped or
 * widened to {@code Exception}.
 *
 * @param <T> the result type
 * @param <E> the checked exception the body may throw ({@code RuntimeException} if none)
 * @since 0.1.0
 */
@FunctionalInterface
public interface AsyncCallable<T extends @Nullable Object, E extends Exception> {
    T call() throws E;
}
