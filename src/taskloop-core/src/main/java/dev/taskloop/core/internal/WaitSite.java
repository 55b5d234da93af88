package dev.taskloop.core.internal;

import dev.taskloop.core.Task;
import dev.taskloop.core.spi.Awaiting;
import org.jspecify.annotations.Nullable;

/**
 * What a task waits on, recorded cheaply on the hot path (no string built); turned into an
 * {@link Awaiting} only when someone looks (a snapshot, a report).
 *
 * @param kind the await point ({@code sleep}, {@code join}, {@code future}...)
 * @param target what it waits on: a duration in nanoseconds ({@code Long}), a task, a class, a name, or {@code null}
 * @param since loop time the wait began
 */
record WaitSite(String kind, @Nullable Object target, long since) {

    Awaiting toAwaiting() {
        String t = switch (target) {
            case Long nanos -> Durations.format(nanos);
            case Task<?> task -> "task '" + task.name() + "'";
            case Class<?> c -> c.getSimpleName();
            case null -> "";
            default -> target.toString();
        };
        return Awaiting.of(kind, t, since);
    }

    @Override
    public String toString() {
        return toAwaiting().toString();
    }
}
