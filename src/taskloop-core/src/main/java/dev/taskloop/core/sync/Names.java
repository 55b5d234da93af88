package dev.taskloop.core.sync;

import dev.taskloop.core.Task;
import dev.taskloop.core.spi.Describe;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** Default names, and how error messages name the caller. */
final class Names {
    private static final ConcurrentHashMap<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private Names() {
    }

    /** {@code name} if given, else {@code <kind>-<n>}. */
    static String orDefault(@Nullable String name, String kind) {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return kind + "-" + COUNTERS.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    /** The caller: a task, or a thread that is not one. */
    static String caller(@Nullable Task<?> current) {
        return current != null ? Describe.task(current)
                : "thread '" + Thread.currentThread().getName() + "', which is not a Taskloop task,";
    }
}
