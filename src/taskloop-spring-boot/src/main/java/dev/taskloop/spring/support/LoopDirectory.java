package dev.taskloop.spring.support;

import dev.taskloop.core.EventLoop;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The application's loops by name, and which one is the default: what the {@code loop}
 * attribute of the annotations refers to.
 *
 * @since 0.1.0
 */
public final class LoopDirectory {

    private final Map<String, EventLoop> loops = new LinkedHashMap<>();
    private final EventLoop defaultLoop;

    /** @param loops the loops; {@code defaultLoop} must be one of them */
    public LoopDirectory(Collection<EventLoop> loops, EventLoop defaultLoop) {
        for (EventLoop l : loops) {
            EventLoop previous = this.loops.putIfAbsent(l.name(), l);
            if (previous != null && previous != l) {
                throw new IllegalStateException("two event loops are named '" + l.name()
                        + "'; the loop attribute of @BackgroundTask could not tell them apart: give them distinct names");
            }
        }
        this.defaultLoop = defaultLoop;
    }

    /** The loop named {@code name}, the default loop for an empty name, or {@code null} if there is none. */
    public @Nullable EventLoop find(@Nullable String name) {
        return name == null || name.isEmpty() ? defaultLoop : loops.get(name);
    }

    /** The default loop. */
    public EventLoop defaultLoop() {
        return defaultLoop;
    }

    /** Every loop. */
    public Collection<EventLoop> all() {
        return List.copyOf(loops.values());
    }

    /** Every loop's name. */
    public List<String> names() {
        return List.copyOf(loops.keySet());
    }
}
