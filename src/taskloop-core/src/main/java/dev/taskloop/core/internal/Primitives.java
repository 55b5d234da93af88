package dev.taskloop.core.internal;

import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.Awaiting;
import dev.taskloop.core.spi.LoopListener;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The few hooks into tasks and loops that the primitives of {@code core.sync}, {@code core.queue}
 * and {@code core.stream} need beyond {@link Waiter}: being told when a task ends (a lock's owner,
 * a stream's consumer), telling a loop's listeners, and keeping a waiter's "held by" up to date.
 * Nothing outside {@code dev.taskloop.core..} may use it.
 *
 * @since 0.1.0
 */
public final class Primitives {

    private Primitives() {
    }

    /**
     * Calls {@code listener} when {@code task} ends (on the ending task's thread, while it still
     * holds its loop's baton), or at once if it has already ended. Cheap; undo with {@link #unwatch}.
     */
    public static void watch(Task<?> task, Consumer<Task<?>> listener) {
        ((TaskImpl<?>) task).addCompletionListener(listener);
    }

    /** Undoes {@link #watch} (the same listener instance). */
    public static void unwatch(Task<?> task, Consumer<Task<?>> listener) {
        ((TaskImpl<?>) task).removeCompletionListener(listener);
    }

    /**
     * Tells the listeners of {@code loop} through their {@code method}; what one throws is contained
     * and reported under that method's name, as for the loop's own listener calls.
     */
    public static void report(EventLoop loop, String method, Consumer<LoopListener> event) {
        ((Loop) loop).notifyListeners(method, event);
    }

    /**
     * Changes the holder that the snapshot of {@code w}'s task shows (a lock passed to another
     * owner while {@code w} kept waiting). Does nothing if the task has moved on to another wait.
     */
    public static void setHolder(Waiter w, @Nullable Task<?> holder) {
        TaskImpl<?> t = (TaskImpl<?>) w.task();
        Awaiting a = t.awaitingNow();
        if (a != null && a.since() == w.since()) {
            t.awaiting = holder == null ? Awaiting.of(a.kind(), a.target(), a.since())
                    : new Awaiting(a.kind(), a.target(), holder.id(), holder.name(), a.since());
        }
    }

    /** Registers {@code closeable} to be closed when {@code loop} shuts down, after its tasks. */
    public static void onLoopClose(EventLoop loop, AutoCloseable closeable) {
        ((Loop) loop).onClose(closeable);
    }

    /** Undoes {@link #onLoopClose}. */
    public static void removeOnLoopClose(EventLoop loop, AutoCloseable closeable) {
        ((Loop) loop).removeOnClose(closeable);
    }

    /** The logger the loops use, so primitives report under the same name. */
    public static System.Logger log() {
        return Loop.LOG;
    }
}
