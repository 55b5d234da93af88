package dev.taskloop.spring;

import dev.taskloop.core.EventLoop;
import dev.taskloop.core.spi.TaskSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the declared tasks and groups when the application context starts, and shuts the loops
 * down in order when it closes.
 *
 * <h2>Phase</h2>
 * {@link #PHASE} is below the web server's lifecycles (graceful shutdown at
 * {@code DEFAULT_PHASE - 1024}, stop at {@code DEFAULT_PHASE - 2048}), so tasks start before the
 * server takes traffic, and stop after it has drained its requests and stopped: work handed to a
 * loop by a request is not cut off.
 *
 * <h2>Shutdown</h2>
 * Every loop is closed at once: every task (declared or spawned ad hoc) is cancelled at its await
 * point; {@code finally} blocks run, and may await inside a shielded {@code CancelScope}; the loops
 * wait up to {@code taskloop.shutdown.timeout}; tasks still alive then are interrupted and named in
 * a warning. This runs on its own thread and reports back to Spring, which waits for it up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (so that must be the longer of the two).
 *
 * <h2>States</h2>
 * <pre>  NEW --start()--> RUNNING --stop()--> STOPPED (not restartable: the loops are closed)</pre>
 */
public class TaskloopLifecycle implements SmartLifecycle {

    /** The lifecycle phase; see the class documentation. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log log = LogFactory.getLog(TaskloopLifecycle.class);

    private final LoopDirectory loops;
    private final DeclaredTasks declared;
    private final Supervisor.Environment environment;
    private final Duration shutdownTimeout;
    private final List<SupervisedTask> started = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean stopped;

    public TaskloopLifecycle(LoopDirectory loops, DeclaredTasks declared, Supervisor.Environment environment,
                             Duration shutdownTimeout) {
        this.loops = loops;
        this.declared = declared;
        this.environment = environment;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        if (running || stopped) {
            return;
        }
        List<TaskSpec> tasks = declared.tasks();
        List<GroupSpec> groups = declared.groups();
        for (TaskSpec t : tasks) {
            loopFor(t.loop(), "@BackgroundTask '" + t.name() + "'");
        }
        for (GroupSpec g : groups) {
            loopFor(g.loop(), "@SupervisedGroup '" + g.name() + "'");
        }
        for (TaskSpec t : tasks) {
            record(Supervisor.start(loopFor(t.loop(), t.name()), t, environment));
        }
        for (GroupSpec g : groups) {
            Supervisor.start(loopFor(g.loop(), g.name()), g, environment).forEach(this::record);
        }
        running = true;
        if (!started.isEmpty()) {
            log.info("Started " + started.size() + " declared task(s) on " + loops.names());
        }
    }

    private void record(SupervisedTask t) {
        started.add(t);
        declared.started(t);
    }

    private EventLoop loopFor(String name, String who) {
        EventLoop l = loops.find(name);
        if (l == null) {
            throw new TaskDeclarationException(who + " names loop '" + name + "', but the application's loops are " + loops.names(),
                    "fix the name, or add the loop to taskloop.loops");
        }
        return l;
    }

    /** Completes when every declared task that asked readiness to wait ({@code awaitStarted}) has started. */
    public CompletableFuture<Void> whenAllStarted() {
        return CompletableFuture.allOf(started.stream().map(SupervisedTask::whenStarted).toArray(CompletableFuture[]::new));
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        Thread.ofPlatform().name("taskloop-shutdown").start(() -> {
            try {
                shutdown();
            } finally {
                callback.run();
            }
        });
    }

    @Override
    public void stop() {
        running = false;
        shutdown();
    }

    private void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        long t0 = System.nanoTime();
        List<Thread> closers = new ArrayList<>();
        List<String> stragglers = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (EventLoop loop : loops.all()) {
            closers.add(Thread.ofPlatform().name("taskloop-shutdown-" + loop.name()).start(() -> {
                for (TaskSnapshot s : loop.shutdown(shutdownTimeout)) {
                    stragglers.add("'" + s.name() + "' on loop '" + s.loop() + "' (" + s.state()
                            + (s.awaiting() != null ? ", awaiting " + s.awaiting() : "") + ")");
                }
            }));
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (stragglers.isEmpty()) {
            log.info("Taskloop shut down in " + ms + " ms: every task ended");
        } else {
            log.warn("Taskloop shut down in " + ms + " ms; " + stragglers.size() + " task(s) did not end within taskloop.shutdown.timeout ("
                    + shutdownTimeout + ") and were interrupted: " + String.join(", ", stragglers));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
