package dev.taskloop.core;

import dev.taskloop.core.internal.Bodies;
import dev.taskloop.core.internal.Scope;
import org.jspecify.annotations.Nullable;

/**
 * A region of a task's code that can be cancelled as a whole (Trio's and AnyIO's cancel scope).
 *
 * <p>Cancelling a scope makes every await point inside it throw {@link CancelledException}, in the
 * task that entered it and in every task spawned in a {@link TaskGroup} inside it, until the code
 * leaves the scope: cancellation is <em>level-triggered</em>. {@code finally} blocks run; an await
 * point in a {@code finally} block of a cancelled scope throws again, unless it runs inside a
 * {@linkplain #shielded() shielded} scope, which outer cancellation does not reach. At the scope's
 * edge its own cancellation stops: {@link #call} returns {@code null} and {@link #cancelledCaught()}
 * turns true ("move on"). A {@link Timeout} is a scope that cancels itself at a deadline and turns
 * that into {@link TimeoutExpiredException} at its edge. Every task runs in a scope of its own,
 * the one {@link Task#cancel()} cancels.
 *
 * <h2>States</h2>
 *
 * <pre>
 *   create() --> NEW --call()/run()--> ENTERED --body ends--> EXITED
 * </pre>
 * A scope is entered once, by one task. {@link #cancel()} is allowed in every state: before entry
 * the body starts cancelled (its first await point throws), after exit it does nothing.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>Code that never reaches an await point cannot be cancelled: a CPU loop should call
 *       {@link Async#yieldNow()} now and then.</li>
 *   <li>Catching {@link CancelledException} and carrying on is a bug: the next await point throws
 *       again, and a task that ends normally after catching its cancellation is reported.</li>
 *   <li>A shielded scope protects its body from outer cancellation for as long as the body runs:
 *       keep it short, or give it a {@link Timeout} of its own.</li>
 * </ul>
 *
 * <h2>Thread-safety</h2>
 * {@link #cancel()} and the queries may be called from any thread (from outside the loop, the
 * cancellation takes effect at the loop's next turn); {@link #call} and {@link #run} only from a
 * task.
 *
 * @since 0.1.0
 */
public interface CancelScope {

    /** A new, not yet entered scope. */
    static CancelScope create() {
        return new Scope(false);
    }

    /** A new scope that outer cancellation does not reach (Trio's {@code shield=True}). */
    static CancelScope shielded() {
        return new Scope(true);
    }

    /**
     * Enters the scope in the calling task, runs {@code body}, leaves the scope.
     *
     * @return what {@code body} returned, or {@code null} if this scope's own cancellation ended it
     * @throws E what {@code body} threw, unchanged
     * @throws IllegalStateException if the caller is not a task, or the scope was entered before
     */
    <T extends @Nullable Object, E extends Exception> @Nullable T call(AsyncCallable<T, E> body) throws E;

    /** {@link #call} for a body without a result. */
    default <E extends Exception> void run(AsyncRunnable<E> body) throws E {
        call(Bodies.callable(body));
    }

    /** Cancels the scope; see the class documentation. Idempotent. */
    default void cancel() {
        cancel("cancel scope cancelled");
    }

    /** {@link #cancel()} with the reason that {@link CancelledException} will carry (an {@linkplain CancelReason#application application} reason). */
    default void cancel(String reason) {
        cancel(CancelReason.application(reason));
    }

    /** {@link #cancel()} with a reason and its origin; the first reason given is kept. */
    void cancel(CancelReason reason);

    /** Whether {@link #cancel()} was called (or the deadline of a {@link Timeout} passed). */
    boolean isCancelled();

    /** Whether this scope stopped its own cancellation at its edge (the body ended by it). */
    boolean cancelledCaught();

    /** Whether outer cancellation is kept out of this scope. */
    boolean isShielded();
}
