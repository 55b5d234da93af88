package dev.taskloop.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a long-running background task: the annotated method of a Spring bean runs as a Taskloop
 * task from the moment the application context starts until it closes, and is restarted by its
 * policy when it ends.
 *
 * <pre>{@code
 * @BackgroundTask(name = "orders-consumer", restart = Restart.ALWAYS, backoffInitial = "500ms")
 * void consume(TaskContext ctx) {
 *     while (true) {
 *         var batch = Async.offload(() -> client.poll());
 *         ...
 *     }
 * }
 *
 * @BackgroundTask(fixedRate = "30s")                      // a periodic task: one run every 30 s
 * void refreshCache() { ... }
 * }</pre>
 *
 * <h2>Rules</h2>
 * The method must be non-private, non-static, and take no parameters or one {@code TaskContext};
 * its return value is ignored. Durations are Spring Boot durations ({@code 500ms}, {@code 30s},
 * {@code PT1M}) and may be property placeholders ({@code ${orders.poll-rate}}). Every misuse fails
 * application startup with a message naming the bean, the method and the fix.
 *
 * <h2>Restarts</h2>
 * A task that ends is started again according to {@link #restart()}, after a back-off: the n-th
 * restart within {@link #restartWindow()} waits {@code min(backoffMax, backoffInitial × multiplier^(n-1))},
 * spread by ± {@link #backoffJitter()}. More than {@link #maxRestarts()} restarts within
 * {@link #restartWindow()} and the task is given up on and marked failed (OTP's restart intensity).
 * Cancellation (shutdown, an operator) is never restarted.
 *
 * <h2>Periodic tasks</h2>
 * With one of {@link #fixedRate()}, {@link #fixedDelay()} or {@link #cron()}, each call of the
 * method is one run; runs never overlap; {@link #overrun()} says what happens when a run outlasts
 * its slot. A run that throws restarts the schedule by the restart policy, after the back-off.
 *
 * <h2>Singletons</h2>
 * With {@link #singleton()}, the task runs on one replica of the application at a time: the leader of
 * that election (Kubernetes Lease or a database lock, {@code taskloop.leader.backend}). The others
 * show it as {@code STANDBY}.
 *
 * <h2>Sharded tasks</h2>
 * With {@link #shards()} {@code = "16"}, the work is split in 16 shards spread over the replicas: the
 * same body runs once per shard this replica holds ({@code TaskContext.shard()} says which), each
 * shard as a declared task of its own named {@code <name>-<index>} (restarted, scheduled, drained and
 * stopped as any declared task), on one replica at a time. Each replica takes its fair share of the
 * live replicas, {@code ceil(shards / replicas)}; a replica that joins takes shards over, one that
 * leaves or dies gives them up.
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BackgroundTask {

    /** The task's name, unique in the application; default {@code <beanName>.<methodName>}. */
    String name() default "";

    /** The loop to run on, by name; default: the application's default loop. */
    String loop() default "";

    /** When to start the task again after it ends. */
    Restart restart() default Restart.ON_FAILURE;

    /** Delay before the first restart. */
    String backoffInitial() default "1s";

    /** Longest delay between restarts. */
    String backoffMax() default "1m";

    /** Factor between consecutive restart delays; at least 1. */
    double backoffMultiplier() default 2.0;

    /** Random spread of each delay, as a fraction in [0, 1]: 0.1 is ± 10 %. */
    double backoffJitter() default 0.1;

    /** How many restarts are allowed within {@link #restartWindow()} before the task is marked failed. */
    int maxRestarts() default 10;

    /** The window of {@link #maxRestarts()}. */
    String restartWindow() default "1m";

    /** Run periodically, at this fixed rate (start to start). */
    String fixedRate() default "";

    /** Run periodically, with this delay between the end of a run and the start of the next. */
    String fixedDelay() default "";

    /** Run periodically, on this Spring {@code CronExpression} (six fields, seconds first). */
    String cron() default "";

    /** Time zone of {@link #cron()}; default: the system's. */
    String zone() default "";

    /** Delay before the first run of a {@link #fixedRate()} or {@link #fixedDelay()} task. */
    String initialDelay() default "";

    /** What a periodic task does after a run that outlasted its slot. */
    Overrun overrun() default Overrun.SKIP;

    /** Whether the application is unhealthy when this task has failed for good. */
    boolean critical() default false;

    /**
     * Whether readiness waits for this task to say it has started ({@code TaskContext.started()},
     * Trio's {@code task_status.started()}): until then the application refuses traffic.
     */
    boolean awaitStarted() default false;

    /**
     * Whether, when the application stops, this task is left to finish what it has by itself
     * before it is cancelled: intake stops first ({@code ShutdownParticipant.stopIntake()}, e.g. its
     * queue is shut down), then the task has up to {@code taskloop.shutdown.drain-timeout} to return
     * (a consumer drains the queue and returns on {@code QueueShutDownException}). Other tasks are
     * cancelled in the next phase. Not for periodic tasks, which start no new run once the
     * application is stopping.
     */
    boolean drainOnShutdown() default false;

    /**
     * Run this task only on the replica that leads this leader election (its name), so that it runs
     * on one replica of the application at a time; {@code "*"} ({@link #OWN_NAME}) names the election
     * after the task. Empty (default): the task runs on every replica.
     *
     * <p>Only the leader runs it; the other replicas show it as {@code STANDBY}. When the leader loses
     * the election (it stops, or cannot renew its lease within the renew deadline) the task is
     * cancelled at its await points and the next leader starts it. Tasks naming the same election
     * run together on the same replica. An election name is 1 to 63 lower-case letters, digits,
     * {@code '-'} and {@code '.'}, starting and ending with a letter or digit (it names a Kubernetes
     * Lease). Not with {@link #awaitStarted()} (the other replicas' readiness cannot wait for it),
     * nor on a task of a {@code @SupervisedGroup} (set it on the group).
     */
    String singleton() default "";

    /** The {@link #singleton()} value that names the election after the task (or the group). */
    String OWN_NAME = "*";

    /**
     * Spread this task over the replicas in this many shards (a whole number from 1 to 256, or a
     * placeholder such as {@code "${tenants.shards}"}); empty (default): not sharded. Shard {@code i}
     * runs as the declared task {@code <name>-<i>}, on the replica that holds the lease
     * {@code <name>-<i>} of the sharded election named after the task, and only there; the others
     * show it as {@code STANDBY}. The task's name is the election's, so it must be a valid election
     * name (see {@link #singleton()}), short enough that its Lease names fit Kubernetes' limit of 253
     * characters after {@code taskloop.leader.kubernetes.lease-name-prefix}. Not with
     * {@link #singleton()} (a sharded task is its own election), nor {@link #awaitStarted()}, nor on a
     * task of a {@code @SupervisedGroup} (set it on the group).
     */
    String shards() default "";
}
