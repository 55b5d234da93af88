package dev.taskloop.core;

/**
 * A body without a result that may throw {@code E}; see {@link AsyncCallable}.
 *
 * @param <E> the checked exception the body may throw ({@code RuntimeException} if none)
 * @since 0.1.0
 */
@FunctionalInterface
public interface AsyncRunnable<E extends Exception> {
    void run() throws E;
}
