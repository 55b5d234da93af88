package dev.taskloop.core.stream;

import dev.taskloop.core.TaskGroup;
import dev.taskloop.core.queue.Queue;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link AsyncStream#merge}: one pump task per source, feeding a one-slot queue that the merged producer emits from. */
final class Merge {

    private static final Object DONE = new Object();
    private static final Object NULL = new Object();

    private Merge() {
    }

    static <T extends @Nullable Object> AsyncStream<T> of(@Nullable String name, List<? extends AsyncStream<? extends T>> sources) {
        String n = name != null && !name.isBlank() ? name
                : "merge(" + String.join(", ", sources.stream().map(AsyncStream::name).toList()) + ")";
        return new GeneratorStream<>(n, out -> {
            if (sources.isEmpty()) {
                return;
            }
            Queue<Object> slot = Queue.fifo(n + ".merge", 1);
            TaskGroup g = TaskGroup.create(n + ".merge");
            g.run(() -> {
                for (AsyncStream<? extends T> s : sources) {
                    g.spawn(n + "<-" + s.name(), () -> {
                        try (s) {
                            for (T v : s) {
                                slot.put(v == null ? NULL : v);
                            }
                        }
                        slot.put(DONE);
                    });
                }
                int open = sources.size();
                while (open > 0) {
                    Object v = slot.get();
                    if (v == DONE) {
                        open--;
                    } else {
                        out.emit(v == NULL ? null : AbstractStream.<T>cast(v));
                    }
                }
            });
        }, sources);
    }
}
