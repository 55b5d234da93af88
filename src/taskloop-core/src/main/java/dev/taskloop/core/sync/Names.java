package dev.taskloop.core.sync;

import dev.taskloop.core.Task;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Default names and the phrases error messages share. */
final class Names {
    private static final ConcurrentHashMap<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private Names() {
    }

    /** {@code name} if given, else {@code <kind>-<n>}. */
    static String orDefault(String name, String kind) {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return kind + "-" + COUNTERS.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    /** {@code task 'x' (id 3)}. */
    static String task(Task<?> t) {
        return "task '" + t.name() + "' (id " + t.id() + ")";
    }

    /** The caller: a task, or a thread that is not one. */
    static String caller(Task<?> current) {
        return current != null ? task(current)
                : "thread '" + Thread.currentThread().getName() + "', which is not a Taskloop task,";
    }
}
