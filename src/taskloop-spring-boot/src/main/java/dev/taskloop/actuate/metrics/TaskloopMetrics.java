package dev.taskloop.actuate.metrics;

import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.AdmissionSnapshot;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.LoopSnapshot;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.GroupSpec;
import dev.taskloop.spring.support.LoopAssessment;
import dev.taskloop.spring.support.LoopDirectory;
import dev.taskloop.spring.support.LoopMonitor;
import dev.taskloop.spring.support.TaskSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of the application's loops and tasks (names in DESIGN §5, all under
 * {@value #PREFIX}). Each has a description and a base unit.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Meter</th><th>Type, unit</th><th>Tags</th><th>What</th></tr>
 *   <tr><td>{@code taskloop.loop.queue.depth}</td><td>gauge, tasks</td><td>loop</td><td>tasks and callbacks ready, queued for the baton</td></tr>
 *   <tr><td>{@code taskloop.loop.utilization}</td><td>gauge, ratio</td><td>loop</td><td>share of the recent window
 *       ({@code taskloop.health.lag-window}) the baton was held</td></tr>
 *   <tr><td>{@code taskloop.loop.lag}</td><td>timer with a fixed-bucket histogram, seconds</td><td>loop</td><td>delay from
 *       ready to running of every step (fed by the core's lag observer; buckets {@link #LAG_BUCKETS})</td></tr>
 *   <tr><td>{@code taskloop.loop.slow.steps}</td><td>counter, steps</td><td>loop, blocked</td><td>steps that held the baton at
 *       least the slow-step threshold; {@code blocked=true} for those whose holder was blocked in a non-Taskloop wait</td></tr>
 *   <tr><td>{@code taskloop.tasks.active}</td><td>gauge, tasks</td><td>loop</td><td>tasks alive</td></tr>
 *   <tr><td>{@code taskloop.tasks.completed}</td><td>counter, tasks</td><td>loop, outcome</td><td>tasks ended, by outcome
 *       {@code completed}, {@code failed}, {@code cancelled}</td></tr>
 *   <tr><td>{@code taskloop.task.awake}, {@code .asleep}, {@code .waiting}</td><td>counter, seconds</td><td>loop, task</td><td>time
 *       holding the baton, parked at await points, ready but queued</td></tr>
 *   <tr><td>{@code taskloop.task.restarts}</td><td>counter, restarts</td><td>loop, task</td><td>restarts of a declared task</td></tr>
 *   <tr><td>{@code taskloop.leader}</td><td>gauge, replicas</td><td>election</td><td>1 while this replica leads the leader
 *       election of singleton tasks, 0 while it stands by; summed over the replicas, 1 when the election has a leader</td></tr>
 *   <tr><td>{@code taskloop.shards.owned}</td><td>gauge, shards</td><td>election</td><td>shards of the sharded task (or
 *       group) this replica holds now; summed over the replicas, the shards that are running</td></tr>
 *   <tr><td>{@code taskloop.shards.handovers}</td><td>counter, shards</td><td>election, event</td><td>shards that changed
 *       hands on this replica: {@code acquired}, {@code released} (given up to rebalance or stopping), {@code lost} (renew
 *       deadline passed, or taken over)</td></tr>
 *   <tr><td>{@code taskloop.admission.limit}</td><td>gauge, tasks</td><td>loop, mode</td><td>the live-task limit; {@code mode}
 *       ({@code wait}, {@code fail}, {@code shed}) is what spawn does past it</td></tr>
 *   <tr><td>{@code taskloop.admission.lag.slo}</td><td>gauge, seconds</td><td>loop</td><td>the lag SLO, 0 for none</td></tr>
 *   <tr><td>{@code taskloop.admission.overloaded}</td><td>gauge, loops</td><td>loop</td><td>1 while the loop admits no new
 *       task (readiness refuses traffic), else 0</td></tr>
 *   <tr><td>{@code taskloop.admission.waiting}</td><td>gauge, spawns</td><td>loop</td><td>spawns waiting for room now</td></tr>
 *   <tr><td>{@code taskloop.admission.spawns}</td><td>counter, spawns</td><td>loop, outcome</td><td>spawns over the limit, by
 *       outcome {@code waited}, {@code rejected}, {@code shed}</td></tr>
 * </table>
 *
 * <h2>Cardinality</h2>
 * The {@code task} tag carries declared names ({@code @BackgroundTask}, group members included)
 * and nothing else: every other task (spawned ad hoc, a group's supervisor, a {@code TaskGroup}
 * child, a task spawned ad hoc under a declared task's name) is added to the one series
 * {@code task="<ad-hoc>"} of its loop: the tasks of a declared task's attempts are known by their ids
 * ({@link DeclaredTaskRegistry#findByTask}), never by their names. The shards of a sharded task count
 * under the task's name ({@code task="tenant-poller"} for all of {@code tenant-poller-0..15}), whatever
 * the number of shards, and the shards meters carry the election only. So the number of series is
 * fixed when the meters are bound, whatever the application spawns; task ids never appear. A
 * declared task's time includes its live attempt; an ad-hoc task's time is added when it ends.
 *
 * <h2>Cost</h2>
 * Gauges and counters read snapshots when scraped. Every hand-off of the baton gives the loop's
 * {@link LoopListener#lagObserver() lag observer} one sample, which it only stores (a few
 * nanoseconds on the baton holder's path); a platform thread, {@code taskloop-metrics}, records the
 * stored samples into the lag timer every {@value #DRAIN_MILLIS} ms, so the exported histogram is at
 * most that far behind ({@link #flush()} records them at once). Ended tasks are added up by
 * {@link LoopListener#taskEnded}.
 *
 * @since 0.1.0
 */
public final class TaskloopMetrics implements MeterBinder, AutoCloseable {

    /** The prefix of every meter name. */
    public static final String PREFIX = "taskloop.";

    /** The {@code task} tag value of every task that is not a declared task. */
    public static final String AD_HOC = "<ad-hoc>";

    /** The lag histogram's bucket boundaries (Prometheus {@code le} labels), 10 µs to 10 s. */
    public static final List<Duration> LAG_BUCKETS = List.of(
            Duration.ofNanos(10_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10));

    private final LoopDirectory loops;
    private final DeclaredTaskRegistry declared;
    private final @Nullable LoopMonitor monitor;
    /** How often the stored lag samples are recorded into the timers. */
    static final long DRAIN_MILLIS = 50;

    private final List<Runnable> unbinds = new CopyOnWriteArrayList<>();
    private final List<LagRecorder> recorders = new CopyOnWriteArrayList<>();
    private volatile @Nullable Thread drainer;
    private volatile boolean closed;

    /**
     * @param monitor where the recent utilization comes from; {@code null} for utilization since start
     */
    public TaskloopMetrics(LoopDirectory loops, DeclaredTaskRegistry declared, @Nullable LoopMonitor monitor) {
        this.loops = loops;
        this.declared = declared;
        this.monitor = monitor;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Map<String, List<String>> declaredByLoop = declaredNamesByLoop();
        for (EventLoop loop : loops.all()) {
            LoopMeters m = new LoopMeters(loop, registry, declaredByLoop.getOrDefault(loop.name(), List.of()));
            recorders.add(m.lagRecorder);
            loop.addListener(m);
            unbinds.add(() -> loop.removeListener(m));
        }
        bindLeaderGauges(registry);
        bindShardMeters(registry);
        startDrainer();
    }

    private synchronized void startDrainer() {
        if (drainer != null || closed) {
            return;
        }
        drainer = Thread.ofPlatform().daemon().name("taskloop-metrics").start(() -> {
            while (!closed) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS));
                flush();
            }
        });
    }

    /** Records the lag samples the loops have given since the last time into the lag timers, now. */
    public void flush() {
        for (LagRecorder r : recorders) {
            r.drain();
        }
    }

    /**
     * A filter that gives the meters of the {@code taskloop.task.run} Observation (one per run of a
     * periodic declared task; Micrometer's meter handler creates them without a description) a
     * description, so that every {@code taskloop_*} family has its HELP text.
     */
    public static MeterFilter describeRunObservations() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getDescription() != null || !id.getName().startsWith(PREFIX + "task.run")) {
                    return id;
                }
                String what = id.getName().equals(PREFIX + "task.run") ? "Runs of periodic declared tasks (fixedRate, fixedDelay, cron)"
                        : id.getName().equals(PREFIX + "task.run.active") ? "Runs of periodic declared tasks in progress" : null;
                return what == null ? id : new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), what, id.getType());
            }
        };
    }

    /** Stops recording (removes the listeners from the loops), after recording the samples still stored. */
    @Override
    public void close() {
        unbinds.forEach(Runnable::run);
        unbinds.clear();
        closed = true;
        Thread t = drainer;
        if (t != null) {
            LockSupport.unpark(t);
        }
        flush();
    }

    /** {@code taskloop.leader}, one series per election of the declared singletons. */
    private void bindLeaderGauges(MeterRegistry registry) {
        for (String election : declared.elections()) {
            Gauge.builder(PREFIX + "leader", declared, d -> d.isLeader(election) ? 1 : 0)
                    .description("1 while this replica leads the leader election of singleton tasks, 0 while it stands by; "
                            + "summed over the replicas, 1 when the election has a leader")
                    .baseUnit("replicas").tag("election", election).register(registry);
        }
    }

    /** {@code taskloop.shards.owned} and {@code taskloop.shards.handovers}, per sharded election. */
    private void bindShardMeters(MeterRegistry registry) {
        for (String election : declared.shardedElections().keySet()) {
            Gauge.builder(PREFIX + "shards.owned", declared, d -> d.leadership().map(l -> l.ownedShards(election).size()).orElse(0))
                    .description("Shards of a sharded task this replica holds (and runs) now; summed over the replicas, the shards running")
                    .baseUnit("shards").tag("election", election).register(registry);
            handovers(registry, election, "acquired", Leadership.Handovers::acquired);
            handovers(registry, election, "released", Leadership.Handovers::released);
            handovers(registry, election, "lost", Leadership.Handovers::lost);
        }
    }

    private void handovers(MeterRegistry registry, String election, String event, ToLongFunction<Leadership.Handovers> f) {
        FunctionCounter.builder(PREFIX + "shards.handovers", declared,
                        d -> d.leadership().map(l -> f.applyAsLong(l.handovers(election))).orElse(0L))
                .description("Shards of a sharded task that changed hands on this replica: acquired, released (given up to rebalance "
                        + "or because it stops) or lost (not renewed within the renew deadline, or taken over)")
                .baseUnit("shards").tag("election", election).tag("event", event).register(registry);
    }

    /** The restarts of a declared task: for a sharded one, of all its shards on this replica. */
    private int restarts(String name) {
        List<DeclaredTask> shards = declared.shardsOf(name);
        if (!shards.isEmpty()) {
            return shards.stream().mapToInt(DeclaredTask::restarts).sum();
        }
        return declared.find(name).map(DeclaredTask::restarts).orElse(0);
    }

    /** The tasks of a declared task's current attempts: one, or for a sharded one, one per shard that has had an attempt. */
    private List<Task<?>> attempts(String name) {
        List<DeclaredTask> shards = declared.shardsOf(name);
        List<Task<?>> tasks = new java.util.ArrayList<>();
        for (DeclaredTask d : shards.isEmpty() ? declared.find(name).stream().toList() : shards) {
            Task<?> t = d.task();
            if (t != null) {
                tasks.add(t);
            }
        }
        return tasks;
    }

    /** Declared task names (group members included), by the name of their loop. */
    private Map<String, List<String>> declaredNamesByLoop() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (TaskSpec t : declared.tasks()) {
            add(m, t.loop(), t.name());
        }
        for (GroupSpec g : declared.groups()) {
            for (TaskSpec t : g.tasks()) {
                add(m, g.loop(), t.name());
            }
        }
        return m;
    }

    private void add(Map<String, List<String>> m, String loop, String name) {
        EventLoop l = loops.find(loop);
        if (l != null) {
            m.computeIfAbsent(l.name(), k -> new java.util.ArrayList<>()).add(name);
        }
    }

    // ------------------------------------------------------------------ one loop

    /** The meters of one loop, and the listener that feeds them. */
    private final class LoopMeters implements LoopListener {
        private final LagRecorder lagRecorder;
        private final Map<String, TaskTimes> declaredTimes = new LinkedHashMap<>();
        private final TaskTimes adHoc;

        LoopMeters(EventLoop loop, MeterRegistry registry, List<String> declaredNames) {
            Tags tags = Tags.of("loop", loop.name());
            Gauge.builder(PREFIX + "loop.queue.depth", loop, l -> l.snapshot().readyDepth())
                    .description("Tasks and callbacks ready and queued for the loop's baton")
                    .baseUnit(BaseUnits.TASKS).tags(tags).register(registry);
            Gauge.builder(PREFIX + "loop.utilization", loop, this::utilization)
                    .description("Share of the recent window (taskloop.health.lag-window) during which the loop's baton was held")
                    .baseUnit("ratio").tags(tags).register(registry);
            lagRecorder = new LagRecorder(Timer.builder(PREFIX + "loop.lag")
                    .description("Delay between a task or callback becoming ready and getting the loop's baton")
                    .serviceLevelObjectives(LAG_BUCKETS.toArray(Duration[]::new))
                    .tags(tags).register(registry));
            Monotonic computing = new Monotonic();
            Monotonic blockedCount = new Monotonic();
            FunctionCounter.builder(PREFIX + "loop.slow.steps", loop,
                            l -> computing.max(nonNegative(l.snapshot(), s -> s.slowSteps() - s.blockedSteps())))
                    .description("Steps that held the loop's baton at least the slow-step threshold; blocked=true: the holder "
                            + "was blocked in a non-Taskloop wait (Thread.sleep, JDBC, a monitor) rather than computing")
                    .baseUnit("steps").tags(tags).tag("blocked", "false").register(registry);
            FunctionCounter.builder(PREFIX + "loop.slow.steps", loop,
                            l -> blockedCount.max(l.snapshot().blockedSteps()))
                    .description("Steps that held the loop's baton at least the slow-step threshold; blocked=true: the holder "
                            + "was blocked in a non-Taskloop wait (Thread.sleep, JDBC, a monitor) rather than computing")
                    .baseUnit("steps").tags(tags).tag("blocked", "true").register(registry);
            Gauge.builder(PREFIX + "tasks.active", loop, l -> l.snapshot().liveTasks())
                    .description("Tasks alive on the loop (ready, running or asleep)")
                    .baseUnit(BaseUnits.TASKS).tags(tags).register(registry);
            outcome(registry, loop, tags, "completed", LoopSnapshot::completed);
            outcome(registry, loop, tags, "failed", LoopSnapshot::failed);
            outcome(registry, loop, tags, "cancelled", LoopSnapshot::cancelled);
            admission(registry, loop, tags);
            for (String name : declaredNames) {
                TaskTimes t = new TaskTimes(name);
                declaredTimes.put(name, t);
                t.register(registry, tags);
                FunctionCounter.builder(PREFIX + "task.restarts", declared, d -> restarts(name))
                        .description("Restarts of a declared task by its restart policy")
                        .baseUnit("restarts").tags(tags).tag("task", name).register(registry);
            }
            adHoc = new TaskTimes(null);
            adHoc.register(registry, tags);
        }

        private void outcome(MeterRegistry registry, EventLoop loop, Tags tags, String outcome, ToLongFunction<LoopSnapshot> f) {
            FunctionCounter.builder(PREFIX + "tasks.completed", loop, l -> f.applyAsLong(l.snapshot()))
                    .description("Tasks that ended on the loop, by outcome: completed, failed or cancelled")
                    .baseUnit(BaseUnits.TASKS).tags(tags).tag("outcome", outcome).register(registry);
        }

        /** The admission policy (its mode as a tag, fixed for the loop's life) and what it did. */
        private void admission(MeterRegistry registry, EventLoop loop, Tags tags) {
            AdmissionSnapshot policy = loop.snapshot().admission();
            Gauge.builder(PREFIX + "admission.limit", loop, l -> l.snapshot().admission().maxTasks())
                    .description("Most live tasks the loop admits (taskloop.admission.max-tasks); mode: what spawn does past it "
                            + "(wait, fail or shed)")
                    .baseUnit(BaseUnits.TASKS).tags(tags).tag("mode", policy.mode().toLowerCase(Locale.ROOT)).register(registry);
            Gauge.builder(PREFIX + "admission.lag.slo", loop, l -> l.snapshot().admission().lagSloNanos() / 1e9)
                    .description("Lag p99 above which the loop admits no new task (taskloop.admission.lag-slo); 0: none")
                    .baseUnit("seconds").tags(tags).register(registry);
            Gauge.builder(PREFIX + "admission.overloaded", loop, l -> LoopAssessment.isOverloaded(l.snapshot()) ? 1 : 0)
                    .description("1 while the loop admits no new task (at its live-task limit, spawns waiting, or lag over "
                            + "its SLO): readiness refuses traffic; 0 otherwise")
                    .baseUnit("loops").tags(tags).register(registry);
            Gauge.builder(PREFIX + "admission.waiting", loop, l -> l.snapshot().admission().waiting())
                    .description("Spawns waiting for admission now (mode wait)")
                    .baseUnit("spawns").tags(tags).register(registry);
            admitted(registry, loop, tags, "waited", AdmissionSnapshot::waited);
            admitted(registry, loop, tags, "rejected", AdmissionSnapshot::rejected);
            admitted(registry, loop, tags, "shed", AdmissionSnapshot::shed);
        }

        private void admitted(MeterRegistry registry, EventLoop loop, Tags tags, String outcome, ToLongFunction<AdmissionSnapshot> f) {
            FunctionCounter.builder(PREFIX + "admission.spawns", loop, l -> f.applyAsLong(l.snapshot().admission()))
                    .description("Spawns over the loop's admission limit, by outcome: waited (mode wait: made to wait for room), "
                            + "rejected (mode fail: RejectedExecutionException) or shed (mode shed: returned cancelled, never run)")
                    .baseUnit("spawns").tags(tags).tag("outcome", outcome).register(registry);
        }

        private double utilization(EventLoop loop) {
            LoopSnapshot s = loop.snapshot();
            return monitor == null ? s.utilization() : monitor.recent(s).utilization();
        }

        @Override
        public LongConsumer lagObserver() {
            return lagRecorder;
        }

        /** An attempt of a declared task is told apart by its id, never by its name: an ad-hoc task may share the name. */
        @Override
        public void taskEnded(TaskSnapshot task) {
            TaskTimes times = adHoc;
            DeclaredTask d = declared.findByTask(task.id()).orElse(null);
            if (d != null) {
                times = declaredTimes.getOrDefault(declared.declaredName(d.name()), adHoc);
            }
            times.ended(task);
        }
    }

    private static long nonNegative(LoopSnapshot s, ToLongFunction<LoopSnapshot> f) {
        return Math.max(0, f.applyAsLong(s));
    }

    // ------------------------------------------------------------------ one task name

    /**
     * The awake / asleep / waiting totals of a declared task (its ended attempts plus its live one)
     * or of every ad-hoc task of a loop (ended ones). Reads add the ended totals first and look at the
     * live attempt second: an attempt that ends in between is then missed once (never counted twice),
     * and the {@link Monotonic} guard keeps the counters from going down meanwhile.
     */
    private final class TaskTimes {
        private final @Nullable String name;
        private final LongAdder awake = new LongAdder();
        private final LongAdder asleep = new LongAdder();
        private final LongAdder waiting = new LongAdder();
        private final Monotonic awakeOut = new Monotonic();
        private final Monotonic asleepOut = new Monotonic();
        private final Monotonic waitingOut = new Monotonic();

        /** @param name the declared name, or {@code null} for the ad-hoc tasks */
        TaskTimes(@Nullable String name) {
            this.name = name;
        }

        void ended(TaskSnapshot s) {
            awake.add(s.awakeNanos());
            asleep.add(s.asleepNanos());
            waiting.add(s.waitingNanos());
        }

        void register(MeterRegistry registry, Tags tags) {
            String tag = name == null ? AD_HOC : name;
            FunctionCounter.builder(PREFIX + "task.awake", this, t -> t.awakeOut.max(t.seconds(t.awake, TaskSnapshot::awakeNanos)))
                    .description("Time tasks held the loop's baton (running)")
                    .baseUnit("seconds").tags(tags).tag("task", tag).register(registry);
            FunctionCounter.builder(PREFIX + "task.asleep", this, t -> t.asleepOut.max(t.seconds(t.asleep, TaskSnapshot::asleepNanos)))
                    .description("Time tasks were parked at await points (sleep, join, queues, locks, offloaded calls)")
                    .baseUnit("seconds").tags(tags).tag("task", tag).register(registry);
            FunctionCounter.builder(PREFIX + "task.waiting", this,
                            t -> t.waitingOut.max(t.seconds(t.waiting, TaskSnapshot::waitingNanos)))
                    .description("Time tasks were ready but queued for the loop's baton")
                    .baseUnit("seconds").tags(tags).tag("task", tag).register(registry);
        }

        private double seconds(LongAdder ended, ToLongFunction<TaskSnapshot> live) {
            long nanos = ended.sum();
            if (name != null) {
                for (Task<?> t : attempts(name)) {
                    TaskSnapshot s = t.snapshot();
                    if (!s.state().isDone()) {
                        nanos += live.applyAsLong(s);
                    }
                }
            }
            return nanos / 1e9;
        }
    }

    /** Keeps a counter's reported value from ever going down. */
    private static final class Monotonic {
        private double last;

        synchronized double max(double value) {
            if (value > last) {
                last = value;
            }
            return last;
        }
    }
}
