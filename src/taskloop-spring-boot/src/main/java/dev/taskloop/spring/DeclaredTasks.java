package dev.taskloop.spring;

import java.util.List;
import java.util.Optional;

/**
 * The application's declared tasks ({@link BackgroundTask}, group members included), once they have
 * started: a bean, so an application can inject it to read and operate them as the {@code taskloop}
 * endpoint does.
 *
 * <pre>{@code
 * declaredTasks.find("nightly-report").orElseThrow().trigger();
 * }</pre>
 *
 * <p>Thread-safety: any thread; lookups are lock-free.
 *
 * @since 0.1.0
 */
public interface DeclaredTasks {

    /** Every started declared task, in the order they were started. */
    List<DeclaredTask> all();

    /** A started declared task by its declared name. */
    Optional<DeclaredTask> find(String name);
}
