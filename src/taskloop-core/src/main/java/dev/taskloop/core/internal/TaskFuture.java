package dev.taskloop.core.internal;

import dev.taskloop.core.CancelReason;
import dev.taskloop.core.Task;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The {@link CompletableFuture} view of a task ({@link Task#toCompletableFuture()}): completed when
 * the task ends, as it ended; cancelling it cancels the task. Its dependent stages are plain
 * futures, so cancelling one of those does not reach the task.
 */
final class TaskFuture<T extends @Nullable Object> extends CompletableFuture<T> {
    final TaskImpl<T> task;

    TaskFuture(TaskImpl<T> task) {
        this.task = task;
    }

    /** Completes the view from the ended task's outcome. */
    void settle(Task.State outcome, @Nullable T result, @Nullable Throwable failure) {
        switch (outcome) {
            case COMPLETED -> complete(result);
            case FAILED -> completeExceptionally(failure);
            default -> cancelView(failure);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        task.cancel(CancelReason.application("its CompletableFuture view was cancelled"));
        return super.cancel(mayInterruptIfRunning);
    }

    private void cancelView(@Nullable Throwable cause) {
        CancellationException c = new CancellationException(cause == null ? "task cancelled" : cause.getMessage());
        if (cause != null) {
            c.initCause(cause);
        }
        completeExceptionally(c);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
