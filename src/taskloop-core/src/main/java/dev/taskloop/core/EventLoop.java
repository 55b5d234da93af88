package dev.taskloop.core;

import dev.taskloop.core.internal.Bodies;
import dev.taskloop.core.internal.Checks;
import dev.taskloop.core.internal.Loop;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.core.spi.TaskSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's event loop on virtual threads: one <em>baton</em>, a FIFO ready queue, a timer queue
 * ordered by (deadline, sequence) and an injectable {@link Ticker}.
 *
 * <h2>Execution model</h2>
 *
 * Every {@link Task} is a virtual thread, but only the task holding the loop's baton runs; the
 * others are asleep at an await point ({@link Async#sleep}, {@link Task#join}, {@link Async#await},
 * queue and lock operations, {@link Async#offload}...) or ready, queued for the baton in FIFO
 * order. At an await point a task hands the baton to the head of the ready queue and parks; when
 * what it awaits is done it joins the tail. So code between two await points runs alone, as in
 * asyncio: plain fields need no locks. Anything else that blocks ({@code Thread.sleep}, JDBC,
 * {@code synchronized} waits, file I/O) keeps the baton and stalls the loop; wrap it in
 * {@link Async#offload}. A watchdog reports a task that holds the baton longer than the
 * slow-step threshold while it is still stuck, with its live stack.
 *
 * <p>Callbacks ({@link #callSoon}, {@link #callLater}, {@link #callAt}, {@link Task#onDone}) take
 * their turn in the same ready queue and run on the loop's driver thread, outside any task: they
 * must not block and cannot await.
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   build() --> OPEN --close()/shutdown()--> CLOSING --tasks ended or timeout--> CLOSED
 * </pre>
 * {@code OPEN}: spawns and callbacks are accepted from any thread. {@code CLOSING}: new top-level
 * spawns are rejected; every task is cancelled and given up to the shutdown timeout to run its
 * {@code finally} blocks; tasks still alive then are interrupted and reported by name.
 * {@code CLOSED}: the driver has stopped; {@code spawn} throws
 * {@link java.util.concurrent.RejectedExecutionException}.
 *
 * <h2>Thread-safety</h2>
 *
 * Every method may be called from any thread (asyncio's {@code call_soon_threadsafe} and
 * {@code run_coroutine_threadsafe} are the normal case here). {@link #close()} must not be called
 * from one of the loop's own tasks or callbacks: it waits for them.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>A blocking call in a task ({@code Thread.sleep}, JDBC, a {@code synchronized} wait) stalls
 *       every task of the loop for as long as it blocks; the watchdog reports it, but only
 *       {@link Async#offload} avoids it.</li>
 *   <li>Callbacks run on the loop's driver: they must not block, cannot await, and one that throws
 *       is reported to the listeners while the loop goes on.</li>
 *   <li>A task still alive when the shutdown timeout passes is interrupted and reported, not
 *       stopped: one that ignores the interrupt keeps running on its thread after the loop closed.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public interface EventLoop extends AutoCloseable {

    /** Default for {@link Builder#slowStepThreshold}: asyncio's {@code slow_callback_duration}. */
    Duration DEFAULT_SLOW_STEP_THRESHOLD = Duration.ofMillis(100);

    /** Default for {@link Builder#reportInterval}. */
    Duration DEFAULT_REPORT_INTERVAL = Duration.ofMinutes(1);

    /** Default for {@link Builder#shutdownTimeout}. */
    Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /** A loop with default settings and a generated name. */
    static EventLoop create() {
        return builder().build();
    }

    /** A builder for a loop. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * asyncio's {@code run(main)}: starts a new loop, runs {@code main} as a task to completion,
     * cancels the tasks still alive and waits for them, closes the loop, and returns what
     * {@code main} returned. Blocks the calling thread, which must not be a Taskloop task.
     *
     * @throws TaskFailedException if {@code main} failed
     */
    static <T extends @Nullable Object> T run(AsyncCallable<T, ?> main) {
        Objects.requireNonNull(main, "main");
        if (Task.current() != null) {
            throw new IllegalStateException("EventLoop.run() cannot be called from a task (task '"
                    + Task.current().name() + "'): it would block the task's loop; spawn the work instead");
        }
        try (EventLoop loop = builder().build()) {
            return loop.spawn("main", main).join();
        }
    }

    /**
     * The loop of the calling task (asyncio's {@code get_running_loop()}).
     *
     * @throws IllegalStateException if the caller is not a Taskloop task
     */
    static EventLoop current() {
        Task<?> task = Task.current();
        if (task == null) {
            throw new IllegalStateException("EventLoop.current() was called from thread '"
                    + Thread.currentThread().getName() + "', which is not a Taskloop task");
        }
        return task.loop();
    }

    /** The loop's name: a label for thread names, snapshots, reports and metric tags. */
    String name();

    /** The ticker the loop reads time from. */
    Ticker ticker();

    /** The loop's current time: {@code ticker().read()}; the scale of {@link #callAt} and {@link Timeout#at}. */
    default long time() {
        return ticker().read();
    }

    /**
     * Creates a task that runs {@code body} on this loop and schedules it (asyncio's
     * {@code create_task}); it starts when it reaches the head of the ready queue. The loop owns
     * the task until it ends, whether or not the caller keeps the handle.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the loop is closing or closed
     */
    <T extends @Nullable Object> Task<T> spawn(@Nullable String name, AsyncCallable<T, ?> body);

    /** {@link #spawn(String, AsyncCallable)} for a body without a result. */
    default Task<Void> spawn(@Nullable String name, AsyncRunnable<?> body) {
        Objects.requireNonNull(body, "body");
        return spawn(name, Bodies.callable(body));
    }

    /** {@link #spawn(String, AsyncCallable)} with the default name {@code Task-<id>}. */
    default <T extends @Nullable Object> Task<T> spawn(AsyncCallable<T, ?> body) {
        return spawn(null, body);
    }

    /** {@link #spawn(String, AsyncRunnable)} with the default name {@code Task-<id>}. */
    default Task<Void> spawn(AsyncRunnable<?> body) {
        return spawn(null, body);
    }

    /** Schedules {@code callback} at the tail of the ready queue. */
    Handle callSoon(Runnable callback);

    /**
     * Schedules {@code callback} to be made ready after {@code delay}.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    Handle callLater(Duration delay, Runnable callback);

    /** Schedules {@code callback} to be made ready when {@link #time()} reaches {@code deadline}. */
    Handle callAt(long deadline, Runnable callback);

    /** The tasks alive now (not yet ended), in no particular order. Copies them all: see {@link #tasks(int)}. */
    Collection<Task<?>> tasks();

    /**
     * At most {@code max} of the tasks alive now, in no particular order (which ones, when there are
     * more, is not specified). Costs {@code O(max)}, however many tasks are alive: for views that
     * list a bounded page (the Actuator endpoint), where {@link #tasks()} would copy every one.
     *
     * @throws IllegalArgumentException if {@code max} is negative
     */
    Collection<Task<?>> tasks(int max);

    /** A live task by id. */
    Optional<Task<?>> task(long id);

    /** An immutable picture of the loop now; cheap enough to poll. */
    LoopSnapshot snapshot();

    /** Adds a listener; see {@link LoopListener} for what it is told and on which thread. */
    void addListener(LoopListener listener);

    /** Removes a listener added with {@link #addListener}. */
    void removeListener(LoopListener listener);

    /** Whether {@link #close()} or {@link #shutdown} has been called. */
    boolean isClosed();

    /** {@link #shutdown(Duration)} with the configured shutdown timeout, ignoring the stragglers (they are reported). */
    @Override
    void close();

    /**
     * Closes the loop in order: stop accepting top-level spawns, cancel every task, wait up to
     * {@code timeout} for them to end (their {@code finally} blocks may await inside shielded
     * scopes), interrupt those still alive, stop the driver. Idempotent; a second call waits for
     * the first to finish.
     *
     * @return the tasks that had not ended when {@code timeout} passed (also reported to the
     *     listeners and the log), empty if all ended in time
     */
    List<TaskSnapshot> shutdown(Duration timeout);

    /**
     * Builds an {@link EventLoop}. Not thread-safe; a builder may build several loops.
     *
     * @since 0.1.0
     */
    final class Builder {
        @Nullable String name;
        Ticker ticker = Ticker.system();
        Duration slowStepThreshold = DEFAULT_SLOW_STEP_THRESHOLD;
        Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        boolean watchdog = true;
        Duration reportInterval = DEFAULT_REPORT_INTERVAL;
        boolean measure = true;
        Admission admission = Admission.DEFAULT;
        @Nullable Backend backend;
        final List<LoopListener> listeners = new ArrayList<>();

        Builder() {
        }

        /** The loop's name (default {@code loop-<n>}); shown in thread names, snapshots and reports. */
        public Builder name(@Nullable String name) {
            this.name = name;
            return this;
        }

        /** The time source (default {@link Ticker#system()}). */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * How long one task may hold the baton before the step counts as slow and the watchdog
         * reports it (default 100 ms, asyncio's {@code slow_callback_duration}). Wall time.
         */
        public Builder slowStepThreshold(Duration threshold) {
            this.slowStepThreshold = Checks.positive("slowStepThreshold", threshold);
            return this;
        }

        /** How long {@link EventLoop#close()} waits for cancelled tasks (default 30 s). */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Checks.nonNegative("shutdownTimeout", timeout);
            return this;
        }

        /** Whether the watchdog samples this loop for slow steps while they last (default on). */
        public Builder watchdog(boolean enabled) {
            this.watchdog = enabled;
            return this;
        }

        /**
         * How the log is spared repeated slow-step reports (default 1 min): the first of a burst is
         * logged with the holder's stack, the ones after it within this interval only counted, and
         * one summary line per interval says how many and which was the latest. A quiet interval ends
         * the burst. {@link LoopListener}s still get every report, with its stack. {@code 0} logs
         * every report in full.
         */
        public Builder reportInterval(Duration interval) {
            this.reportInterval = Checks.nonNegative("reportInterval", interval);
            return this;
        }

        /**
         * Whether the loop accounts awake / asleep / waiting time, lag, utilization and slow steps
         * (default on; it is cheap enough for production and benchmarks measure it both ways).
         */
        public Builder measure(boolean enabled) {
            this.measure = enabled;
            return this;
        }

        /** Admission control for spawns (default {@link Admission#DEFAULT}: at most 100,000 live tasks, then spawns wait). */
        public Builder admission(Admission admission) {
            this.admission = Objects.requireNonNull(admission, "admission");
            return this;
        }

        /**
         * Which {@link Backend} runs the loop's tasks (default {@link Backend#defaultBackend()}:
         * {@code VIRTUAL_THREADS} unless the system property {@value Backend#PROPERTY} says otherwise).
         * {@code LOOP_CARRIER} needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}; {@link #build()}
         * fails with a message naming the flag without it.
         */
        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** Adds a listener from the start (so it also sees the first tasks). */
        public Builder listener(LoopListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Builds and starts the loop (its driver thread starts at once). */
        public EventLoop build() {
            return new Loop(name, ticker, slowStepThreshold, shutdownTimeout, watchdog, measure, admission, List.copyOf(listeners),
                    backend == null ? Backend.defaultBackend() : backend, reportInterval);
        }
    }
}
