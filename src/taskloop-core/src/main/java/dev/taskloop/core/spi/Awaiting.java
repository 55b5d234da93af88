package dev.taskloop.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * What an asleep task waits on now.
 *
 * @param kind the await point: {@code sleep}, {@code join}, {@code future}, {@code offload},
 *     {@code gather}, {@code task-group}, {@code lock}, {@code queue.get}... ({@code ready} for a
 *     task queued for the baton after {@code yieldNow})
 * @param target what it waits on: a task's or primitive's name, a duration, a class name; may be empty
 * @param holderId the task holding what it waits on (a lock's owner), or {@code -1}
 * @param holderName that task's name, or {@code null}
 * @param since loop time when the wait began
 * @since 0.1.0
 */
public record Awaiting(String kind, String target, long holderId, @Nullable String holderName, long since) {

    /** A wait without a holder. */
    public static Awaiting of(String kind, String target, long since) {
        return new Awaiting(kind, target, -1, null, since);
    }

    @Override
    public String toString() {
        return kind + (target.isEmpty() ? "" : " " + target)
                + (holderId >= 0 ? " held by " + Describe.task(holderName, holderId) : "");
    }
}
