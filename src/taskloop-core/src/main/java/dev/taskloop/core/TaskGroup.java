package dev.taskloop.core;

import dev.taskloop.core.internal.Bodies;
import dev.taskloop.core.internal.Group;
import java.util.Collection;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's {@code TaskGroup}: structured concurrency. Tasks spawned in a group belong to it, and
 * the group's body does not return before all of them have ended.
 *
 * <pre>{@code
 * TaskGroup g = TaskGroup.create("fetch");
 * g.run(() -> {
 *     for (String url : urls) g.spawn(url, () -> fetch(url));
 * });                                   // all fetches have ended here
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Leaving the body waits for every child, including children spawned by children.</li>
 *   <li>The first child that fails (with anything but cancellation) cancels its siblings and the
 *       body; their {@code finally} blocks run; then the group throws {@link TaskGroupException}
 *       with every failure, in order, including the body's own exception if it threw one.</li>
 *   <li>If the body throws, the children are cancelled and awaited, then the exception is thrown
 *       inside a {@link TaskGroupException}.</li>
 *   <li>Cancelling the task (or a scope) that runs the group cancels the children too; the group
 *       waits for them, then the {@link CancelledException} continues.</li>
 *   <li>Cancelled children are not failures.</li>
 * </ul>
 *
 * <h2>States</h2>
 * <pre>
 *   NEW --run()/call()--> OPEN --body returns--> CLOSING --last child ended--> DONE
 *                           |                       |                          ^
 *                           | a child fails,        | a child fails            |
 *                           | or the body throws    |                          |
 *                           v                       v                          |
 *                         ABORTING (body and children cancelled) --------------+
 *                                   body ended, last child ended
 * </pre>
 * {@code CLOSING} waits for the children; so does {@code ABORTING}, after cancelling them and the
 * body. A body that throws a cancellation (of an enclosing scope) aborts the group too, and the
 * cancellation continues once the children have ended; {@link #cancel} cancels without aborting.
 * {@link #spawn} is allowed while {@code OPEN} or {@code CLOSING}, from the body and from the
 * children; it throws {@link IllegalStateException} in {@code NEW}, {@code ABORTING} and
 * {@code DONE}.
 *
 * <h2>Thread-safety</h2>
 * Use a group from tasks of the loop that runs it; {@link #cancel} from anywhere.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>A group runs once: {@code run()} or {@code call()} a second time throws; create a group
 *       for each use.</li>
 *   <li>A child's failure aborts the group whatever the body does with it: catching the child's
 *       exception in the body (from {@code join()}) does not stop the siblings from being
 *       cancelled, nor the {@link TaskGroupException}.</li>
 *   <li>Cancelled children are not failures: a group whose children were all cancelled (by
 *       {@link #cancel}, or one by one) ends normally.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public interface TaskGroup {

    /** A new group named {@code TaskGroup-<n>}. */
    static TaskGroup create() {
        return new Group(null);
    }

    /** A new group; the name shows in snapshots, reports and {@link TaskGroupException}. */
    static TaskGroup create(@Nullable String name) {
        return new Group(name);
    }

    /** The group's name. */
    String name();

    /**
     * Runs {@code body} in the calling task as the group's body, then waits for every child.
     *
     * @return what {@code body} returned
     * @throws TaskGroupException if a child or the body failed
     * @throws CancelledException if an enclosing scope was cancelled
     * @throws IllegalStateException if the caller is not a task, or the group was used before
     */
    <T extends @Nullable Object> T call(AsyncCallable<T, ?> body);

    /** {@link #call} for a body without a result. */
    default void run(AsyncRunnable<?> body) {
        call(Bodies.callable(body));
    }

    /**
     * Spawns a child in this group, on the loop of the task that runs the group.
     *
     * @throws IllegalStateException if the group is not running, or is aborting after a failure
     */
    <T extends @Nullable Object> Task<T> spawn(@Nullable String name, AsyncCallable<T, ?> body);

    /** {@link #spawn(String, AsyncCallable)} for a body without a result. */
    default Task<Void> spawn(@Nullable String name, AsyncRunnable<?> body) {
        Objects.requireNonNull(body, "body");
        return spawn(name, Bodies.callable(body));
    }

    /** Cancels the body and every child (the group then ends normally, unless a child failed). */
    default void cancel(String reason) {
        cancel(CancelReason.application(reason));
    }

    /** {@link #cancel(String)} with a reason and its origin. */
    void cancel(CancelReason reason);

    /** The children that have not ended yet. */
    Collection<Task<?>> tasks();
}
