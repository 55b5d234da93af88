package dev.taskloop.core;

import dev.taskloop.core.internal.Uninterruptibly;
import dev.taskloop.core.spi.LoopGroupSnapshot;
import dev.taskloop.core.spi.TaskSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Several {@link EventLoop}s side by side, one baton each, to use more than one core (Netty's and
 * Vert.x's event loop groups). Each loop keeps asyncio's single-baton semantics for its own tasks;
 * tasks of different loops run in parallel.
 *
 * <pre>{@code
 * try (EventLoopGroup group = EventLoopGroup.create("workers", 4)) {   // loops workers-0 .. workers-3
 *     Task<Report> t = group.spawn("report", () -> build());            // round-robin placement
 *     group.loop(2).spawn("pinned", () -> poll());                      // explicit placement
 * }
 * }</pre>
 *
 * <h2>Placement</h2>
 * <ul>
 *   <li>{@link #spawn} places each new top-level task on the next loop, round-robin;
 *       {@link #loop(int)} / {@link #loop(String)} place it explicitly.</li>
 *   <li>A task never moves, and what it spawns ({@link Async#spawn}, a {@link TaskGroup}) stays on
 *       its loop: a family of tasks shares one baton, so code between await points needs no locks.</li>
 *   <li>{@link Async#offload} runs the blocking call on the task's own virtual thread, so it runs on
 *       any carrier thread, outside every loop's baton.</li>
 *   <li>Tasks of different loops may share the primitives of {@code core.sync}, {@code core.queue}
 *       and {@code core.stream}, which are thread-safe; plain fields shared across loops need real
 *       synchronization, as between threads.</li>
 * </ul>
 *
 * <h2>Thread-safety</h2>
 * Every method may be called from any thread; {@link #close()} not from a task of the group.
 *
 * @since 0.1.0
 */
public final class EventLoopGroup implements AutoCloseable {

    private static final AtomicLong IDS = new AtomicLong();

    private final String name;
    private final List<EventLoop> loops;
    private final AtomicInteger next = new AtomicInteger();

    private EventLoopGroup(String name, List<EventLoop> loops) {
        this.name = name;
        this.loops = List.copyOf(loops);
    }

    /** A group of {@code size} loops with default settings, named {@code <name>-0} ... */
    public static EventLoopGroup create(@Nullable String name, int size) {
        return create(name, size, EventLoop.builder());
    }

    /**
     * A group of {@code size} loops built from {@code settings} (ticker, thresholds, listeners,
     * measuring...); each loop is named {@code <name>-<index>}, whatever name the builder had.
     *
     * @throws IllegalArgumentException if {@code size} is less than 1
     */
    public static EventLoopGroup create(@Nullable String name, int size, EventLoop.Builder settings) {
        Objects.requireNonNull(settings, "settings");
        String n = name == null || name.isBlank() ? "group-" + IDS.incrementAndGet() : name;
        if (size < 1) {
            throw new IllegalArgumentException("event loop group '" + n + "' needs at least 1 loop, but got " + size);
        }
        List<EventLoop> ls = new ArrayList<>(size);
        String saved = settings.name;
        try {
            for (int i = 0; i < size; i++) {
                ls.add(settings.name(n + "-" + i).build());
            }
        } catch (RuntimeException | Error e) {
            ls.forEach(EventLoop::close);
            throw e;
        } finally {
            settings.name(saved);
        }
        return new EventLoopGroup(n, ls);
    }

    /** The group's name. */
    public String name() {
        return name;
    }

    /** How many loops the group has. */
    public int size() {
        return loops.size();
    }

    /** The loops, in order. */
    public List<EventLoop> loops() {
        return loops;
    }

    /**
     * The loop at {@code index}.
     *
     * @throws IndexOutOfBoundsException naming the group's size
     */
    public EventLoop loop(int index) {
        if (index < 0 || index >= loops.size()) {
            throw new IndexOutOfBoundsException("event loop group '" + name + "' has loops 0.." + (loops.size() - 1)
                    + ", but loop " + index + " was asked for");
        }
        return loops.get(index);
    }

    /**
     * The loop named {@code loopName}.
     *
     * @throws IllegalArgumentException naming the loops there are
     */
    public EventLoop loop(String loopName) {
        for (EventLoop l : loops) {
            if (l.name().equals(loopName)) {
                return l;
            }
        }
        throw new IllegalArgumentException("event loop group '" + name + "' has no loop named '" + loopName + "'; its loops are "
                + loops.stream().map(EventLoop::name).toList());
    }

    /** The loop the next round-robin placement goes to, advancing the rotation. */
    public EventLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /** Spawns a task on the next loop, round-robin; see {@link EventLoop#spawn(String, AsyncCallable)}. */
    public <T extends @Nullable Object> Task<T> spawn(@Nullable String name, AsyncCallable<T, ?> body) {
        return next().spawn(name, body);
    }

    /** {@link #spawn(String, AsyncCallable)} for a body without a result. */
    public Task<Void> spawn(@Nullable String name, AsyncRunnable<?> body) {
        return next().spawn(name, body);
    }

    /** The loop of the calling task if it belongs to this group, else {@code null}. */
    public @Nullable EventLoop currentLoop() {
        Task<?> t = Task.current();
        return t != null && loops.contains(t.loop()) ? t.loop() : null;
    }

    /** Every loop's snapshot, and the totals. Cheap; any thread. */
    public LoopGroupSnapshot snapshot() {
        return LoopGroupSnapshot.of(name, loops.stream().map(EventLoop::snapshot).toList());
    }

    /** Whether the group was closed. */
    public boolean isClosed() {
        return loops.stream().allMatch(EventLoop::isClosed);
    }

    /**
     * Shuts every loop down at once (see {@link EventLoop#shutdown}) and waits for all of them.
     *
     * @return the tasks of every loop that had not ended in time
     */
    public List<TaskSnapshot> shutdown(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        List<CompletableFuture<List<TaskSnapshot>>> fs = new ArrayList<>();
        for (EventLoop l : loops) {
            CompletableFuture<List<TaskSnapshot>> f = new CompletableFuture<>();
            Thread.ofVirtual().name("close-" + l.name()).start(() -> {
                try {
                    f.complete(l.shutdown(timeout));
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            fs.add(f);
        }
        List<TaskSnapshot> left = new ArrayList<>();
        for (CompletableFuture<List<TaskSnapshot>> f : fs) {
            left.addAll(f.join());
        }
        return List.copyOf(left);
    }

    /** Closes every loop at once, each with its configured shutdown timeout. */
    @Override
    public void close() {
        Task<?> me = Task.current();
        if (me != null && loops.contains(me.loop())) {
            throw new IllegalStateException("event loop group '" + name + "' cannot be closed from its own task '" + me.name()
                    + "' (loop '" + me.loop().name() + "'): close() waits for every task to end; close it from outside");
        }
        List<Thread> ts = new ArrayList<>();
        for (EventLoop l : loops) {
            ts.add(Thread.ofVirtual().name("close-" + l.name()).start(l::close));
        }
        for (Thread t : ts) {
            Uninterruptibly.await(t::join);
        }
    }

    @Override
    public String toString() {
        return "EventLoopGroup[" + name + ", " + loops.size() + " loops]";
    }
}
