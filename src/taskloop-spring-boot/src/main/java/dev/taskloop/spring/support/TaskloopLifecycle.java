package dev.taskloop.spring.support;

import dev.taskloop.core.EventLoop;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.spring.ShutdownParticipant;
import dev.taskloop.spring.ShutdownProgress;
import dev.taskloop.spring.TaskDeclarationException;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.leader.ShardNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the declared tasks and groups when the application context starts, and shuts them down in
 * order when it closes.
 *
 * <h2>Shutdown, in phases</h2>
 * <ol>
 *   <li><b>INTAKE</b> and <b>DRAIN</b> run in {@link #drainLifecycle()}, at phase
 *       {@link #DRAIN_PHASE}, above the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}),
 *       so the server still answers (the {@code taskloop} endpoint shows the phase) while
 *       {@link ShutdownParticipant}s stop their intake and the tasks declared with
 *       {@code drainOnShutdown} finish what they have, for up to {@code taskloop.shutdown.drain-timeout}.
 *       From INTAKE on, nothing is restarted and periodic tasks start no new run. Then the singletons and
 *       the shards resign (RESIGN, a step of DRAIN): they are cancelled, their {@code finally} blocks run
 *       (for up to {@code taskloop.shutdown.timeout}), and only then are their elections and shards given
 *       up, so that another replica takes them over at once, and without overlap, while this one still
 *       drains.</li>
 *   <li><b>CANCEL</b> and <b>HAND_BACK</b> run in this lifecycle, at {@link #PHASE}, below the web
 *       server's (which has drained its requests and stopped by then, so work a request handed to a
 *       loop is not cut off): every loop is closed — each task is cancelled at its await point, its
 *       {@code finally} blocks run (they may await inside a shielded {@code CancelScope}), the loops
 *       wait up to {@code taskloop.shutdown.timeout}, tasks still alive are interrupted and named in
 *       a warning — then the participants hand back what was not done.</li>
 * </ol>
 * Each of the two runs on its own thread and reports back to Spring, which waits for each up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (so both budgets must be shorter, which the
 * auto-configuration checks).
 *
 * <h2>States</h2>
 * <pre>  NEW --start()--> RUNNING --stop--> INTAKE --> DRAIN --> CANCEL --> HAND_BACK --> STOPPED</pre>
 * {@link ShutdownProgress.Phase} names them from {@code RUNNING} on ({@link #shutdownProgress()}).
 * {@code start()} after a stop does nothing: the loops are closed, so neither lifecycle can be
 * restarted, and both say so ({@link #isPauseable()} is {@code false}: a context {@code pause()}
 * leaves them running rather than shut the loops down for good).
 *
 * <h2>Thread-safety</h2>
 * {@code start()} runs once, on the thread that refreshes the context. The shutdown phases run under
 * one lock, each at most once, whichever thread asks first ({@code stop()}, {@code stop(Runnable)} or
 * the drain lifecycle's); {@link #shutdownProgress()}, {@link #isStopping()} and
 * {@link #whenAllStarted()} may be called from any thread at any time.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>Register {@link #drainLifecycle()} as a bean too, or INTAKE and DRAIN run only when CANCEL
 *       begins, after the web server has stopped.</li>
 *   <li>Both budgets must be shorter than {@code spring.lifecycle.timeout-per-shutdown-phase}, or
 *       Spring stops waiting and tasks still cleaning up are cut off.</li>
 *   <li>A declared singleton or sharded task needs a {@link Leadership} ({@link Builder#leadership});
 *       without one, {@code start()} fails naming the task.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public class TaskloopLifecycle implements SmartLifecycle {

    /** The phase of this lifecycle (start, CANCEL and HAND_BACK); see the class documentation. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** The phase of {@link #drainLifecycle()} (INTAKE and DRAIN). */
    public static final int DRAIN_PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Log log = LogFactory.getLog(TaskloopLifecycle.class);

    private final LoopDirectory loops;
    private final DeclaredTaskRegistry declared;
    private final Supervisor.Environment environment;
    private final Duration drainTimeout;
    private final Duration shutdownTimeout;
    private final List<ShutdownParticipant> participants;
    private final @Nullable Leadership leadership;
    private final List<SupervisedTask> started = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile ShutdownProgress.Phase phase = ShutdownProgress.Phase.RUNNING;
    private volatile @Nullable Instant shutdownStartedAt;
    private final List<String> steps = new CopyOnWriteArrayList<>();
    private final Object shutdownLock = new Object();
    private boolean drained;
    private boolean closed;

    private TaskloopLifecycle(Builder b) {
        this.loops = b.loops;
        this.declared = b.declared;
        this.environment = new Supervisor.Environment(b.environment.clock(), b.environment.random(), b.environment.observations(),
                () -> stopping, b.environment.reportInterval());
        this.drainTimeout = b.drainTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.participants = List.copyOf(b.participants);
        this.leadership = b.leadership;
    }

    /**
     * A lifecycle that starts the tasks {@code declared} holds on the {@code loops}; by default with
     * {@link Supervisor.Environment#defaults()}, no drain phase ({@code drainTimeout} zero), a
     * {@code shutdownTimeout} of 20 s (as {@code taskloop.shutdown.timeout}), no participants and no
     * leader elections.
     */
    public static Builder builder(LoopDirectory loops, DeclaredTaskRegistry declared) {
        return new Builder(loops, declared);
    }

    /** Builds a {@link TaskloopLifecycle}; every setter replaces the default named in {@link #builder}. Not thread-safe. */
    public static final class Builder {
        private final LoopDirectory loops;
        private final DeclaredTaskRegistry declared;
        private Supervisor.Environment environment = Supervisor.Environment.defaults();
        private Duration drainTimeout = Duration.ZERO;
        private Duration shutdownTimeout = Duration.ofSeconds(20);
        private List<ShutdownParticipant> participants = List.of();
        private @Nullable Leadership leadership;

        private Builder(LoopDirectory loops, DeclaredTaskRegistry declared) {
            this.loops = Objects.requireNonNull(loops, "loops");
            this.declared = Objects.requireNonNull(declared, "declared");
        }

        /** Clock, randomness and observations of the supervision (its {@code stopping} is the lifecycle's own). */
        public Builder environment(Supervisor.Environment environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** How long DRAIN waits for the tasks declared with {@code drainOnShutdown}. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
            return this;
        }

        /** How long CANCEL waits for the cancelled tasks' cleanup (and RESIGN for the singletons'). */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /** The participants of INTAKE and HAND_BACK, in order. */
        public Builder participants(List<ShutdownParticipant> participants) {
            this.participants = List.copyOf(participants);
            return this;
        }

        /** The leader elections of the singleton tasks and groups; {@code null}: none, and a singleton fails {@link #start()}. */
        public Builder leadership(@Nullable Leadership leadership) {
            this.leadership = leadership;
            return this;
        }

        public TaskloopLifecycle build() {
            return new TaskloopLifecycle(this);
        }
    }

    @Override
    public void start() {
        if (running || stopping) {
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
        Map<Object, Leadership.Seat> seats = new IdentityHashMap<>();
        Map<Object, List<Leadership.Seat>> shardSeats = new IdentityHashMap<>();
        joinElections(tasks, groups, seats, shardSeats);
        for (TaskSpec t : tasks) {
            EventLoop loop = loopFor(t.loop(), t.name());
            if (t.isSharded()) {
                List<Leadership.Seat> shards = shardSeats.get(t);
                for (int i = 0; i < t.shards(); i++) {
                    SupervisedTask shard = Supervisor.start(loop, t.named(ShardNames.shard(t.name(), i)), environment, shards.get(i));
                    shard.declaredAs(t.name());
                    record(shard);
                }
                continue;
            }
            record(t.isSingleton() ? Supervisor.start(loop, t, environment, seats.get(t)) : Supervisor.start(loop, t, environment));
        }
        for (GroupSpec g : groups) {
            EventLoop loop = loopFor(g.loop(), g.name());
            if (g.isSharded()) {
                List<Leadership.Seat> shards = shardSeats.get(g);
                for (int i = 0; i < g.shards(); i++) {
                    List<SupervisedTask> members = Supervisor.start(loop, g.shard(i), environment, shards.get(i));
                    for (int j = 0; j < members.size(); j++) {
                        members.get(j).declaredAs(g.tasks().get(j).name());
                        record(members.get(j));
                    }
                }
                continue;
            }
            (g.isSingleton() ? Supervisor.start(loop, g, environment, seats.get(g)) : Supervisor.start(loop, g, environment))
                    .forEach(this::record);
        }
        running = true;
        if (!started.isEmpty()) {
            log.info("Started " + started.size() + " declared task(s) on " + loops.names());
        }
    }

    /**
     * Seats every singleton in its election, and every sharded task or group in its sharded election,
     * and starts campaigning, before any task is spawned, so that a backend that cannot work (no lock
     * table, no namespace, no sharding) fails the start with nothing running.
     */
    private void joinElections(List<TaskSpec> tasks, List<GroupSpec> groups, Map<Object, Leadership.Seat> seats,
                               Map<Object, List<Leadership.Seat>> shardSeats) {
        for (TaskSpec t : tasks) {
            if (t.isSingleton()) {
                seats.put(t, seat(t.singleton(), t.name(), "@BackgroundTask '" + t.name() + "'"));
            }
            if (t.isSharded()) {
                shardSeats.put(t, shardSeats(t.name(), t.shards(), "@BackgroundTask '" + t.name() + "'"));
            }
        }
        for (GroupSpec g : groups) {
            if (g.isSingleton()) {
                seats.put(g, seat(g.singleton(), g.name(), "@SupervisedGroup '" + g.name() + "'"));
            }
            if (g.isSharded()) {
                shardSeats.put(g, shardSeats(g.name(), g.shards(), "@SupervisedGroup '" + g.name() + "'"));
            }
        }
        Leadership l = leadership;
        if ((!seats.isEmpty() || !shardSeats.isEmpty()) && l != null) { // a seat was had, so there is a Leadership
            declared.leadership(l);
            try {
                l.start();
            } catch (RuntimeException e) {
                l.close();
                throw e;
            }
        }
    }

    private List<Leadership.Seat> shardSeats(String name, int shards, String who) {
        Leadership l = leadership;
        if (l == null) {
            throw new TaskDeclarationException(who + " is sharded (shards = " + shards + "), but this application has no leader election",
                    "use the auto-configuration (taskloop.leader.backend), or pass a Leadership to TaskloopLifecycle");
        }
        return l.joinShards(name, name, shards);
    }

    private Leadership.Seat seat(String election, String unit, String who) {
        Leadership l = leadership;
        if (l == null) {
            throw new TaskDeclarationException(who + " is a singleton (election '" + election + "'), but this application has no leader"
                    + " election", "use the auto-configuration (taskloop.leader.backend), or pass a Leadership to TaskloopLifecycle");
        }
        return l.join(election, unit);
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

    /** Where the shutdown is; {@code RUNNING} before it began. */
    public ShutdownProgress shutdownProgress() {
        Instant t0 = shutdownStartedAt;
        return new ShutdownProgress(phase, t0, t0 == null ? Duration.ZERO : Duration.between(t0, Instant.now()),
                drainTimeout, shutdownTimeout, steps);
    }

    /** Whether the shutdown has begun (nothing is restarted any more). */
    public boolean isStopping() {
        return stopping;
    }

    /** The lifecycle that runs INTAKE and DRAIN at {@link #DRAIN_PHASE}; register it as a bean too. */
    public SmartLifecycle drainLifecycle() {
        return new SmartLifecycle() {
            @Override
            public void start() {
            }

            @Override
            public void stop() {
                drain();
            }

            @Override
            public void stop(Runnable callback) {
                inBackground("taskloop-drain", TaskloopLifecycle.this::drain, callback);
            }

            @Override
            public boolean isRunning() {
                return running && !stopping;
            }

            @Override
            public int getPhase() {
                return DRAIN_PHASE;
            }

            /** Once drained, the tasks stay stopped: a {@code pause()} must not drain them. */
            @Override
            public boolean isPauseable() {
                return false;
            }
        };
    }

    /** INTAKE then DRAIN; idempotent. */
    private void drain() {
        synchronized (shutdownLock) {
            if (drained) {
                return;
            }
            drained = true;
            shutdownStartedAt = Instant.now();
            stopping = true;
            phase = ShutdownProgress.Phase.INTAKE;
            long t0 = System.nanoTime();
            eachParticipant(ShutdownParticipant::stopIntake, "stop its intake");
            step("INTAKE: " + participants.size() + " participant(s) stopped their intake", t0);

            phase = ShutdownProgress.Phase.DRAIN;
            long t1 = System.nanoTime();
            List<SupervisedTask> draining = started.stream().filter(t -> t.spec().drainOnShutdown() && t.task() != null).toList();
            long deadline = t1 + drainTimeout.toNanos();
            List<String> unfinished = new ArrayList<>();
            for (SupervisedTask t : draining) {
                long left = deadline - System.nanoTime();
                try {
                    t.task().toCompletableFuture().handle((v, e) -> null).get(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    unfinished.add("'" + t.name() + "'");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException e) {
                    // ended: that is all the drain waits for
                }
            }
            step("DRAIN: " + (draining.size() - unfinished.size()) + " of " + draining.size() + " draining task(s) finished"
                    + (unfinished.isEmpty() ? "" : "; still working after taskloop.shutdown.drain-timeout (" + drainTimeout
                    + "), to be cancelled: " + String.join(", ", unfinished)), t1);

            if (leadership != null && declared.leadership().isPresent()) {
                long t2 = System.nanoTime();
                step("RESIGN: singletons and shards stopped; " + leadership.resign(shutdownTimeout), t2);
            }
        }
    }

    /** Runs {@code phase} on every participant, in order; one that throws is logged and the others still run. */
    private void eachParticipant(Consumer<ShutdownParticipant> phase, String what) {
        for (ShutdownParticipant p : participants) {
            try {
                phase.accept(p);
            } catch (RuntimeException e) {
                log.warn("Shutdown participant " + p + " failed to " + what, e);
            }
        }
    }

    private void step(String what, long since) {
        String line = what + " (" + (System.nanoTime() - since) / 1_000_000 + " ms)";
        steps.add(line);
        log.info("Taskloop shutdown " + line);
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        inBackground("taskloop-shutdown", this::shutdown, callback);
    }

    /** Runs {@code phases} on a platform thread of its own, then tells Spring it is done, so that Spring waits for it with its timeout. */
    private static void inBackground(String thread, Runnable phases, Runnable callback) {
        Thread.ofPlatform().name(thread).start(() -> {
            try {
                phases.run();
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
        drain();
        synchronized (shutdownLock) {
            if (closed) {
                return;
            }
            closed = true;
            phase = ShutdownProgress.Phase.CANCEL;
            long t0 = System.nanoTime();
            List<Thread> closers = new ArrayList<>();
            List<String> stragglers = new CopyOnWriteArrayList<>();
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
            if (leadership != null) {
                leadership.close(); // the elections a straggling singleton kept through RESIGN
            }
            step("CANCEL: " + (stragglers.isEmpty() ? "every task ended"
                    : stragglers.size() + " task(s) did not end within taskloop.shutdown.timeout (" + shutdownTimeout
                    + ") and were interrupted: " + String.join(", ", stragglers)), t0);

            phase = ShutdownProgress.Phase.HAND_BACK;
            long t1 = System.nanoTime();
            eachParticipant(ShutdownParticipant::handBack, "hand back its work");
            step("HAND_BACK: " + participants.size() + " participant(s) handed back their work", t1);
            phase = ShutdownProgress.Phase.STOPPED;
            long ms = Duration.between(shutdownStartedAt, Instant.now()).toMillis();
            if (stragglers.isEmpty()) {
                log.info("Taskloop shut down in " + ms + " ms: every task ended");
            } else {
                log.warn("Taskloop shut down in " + ms + " ms; " + stragglers.size() + " task(s) did not end within taskloop.shutdown.timeout ("
                        + shutdownTimeout + ") and were interrupted: " + String.join(", ", stragglers));
            }
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

    /** Stopping closes the loops for good (see States): a {@code pause()} must not stop it. */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
