package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop owns its tasks: 100,000 tasks nobody keeps a reference to all run to the end, and a
 * failure nobody retrieved is reported once, when its task is garbage-collected (asyncio's "Task
 * exception was never retrieved"), while a failure that was retrieved is not.
 */
class ManyTasksTest {

    private static final int TASKS = 100_000;
    private static final int FAIL_EVERY = 10;
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** A failure of a test task: no stack trace, so that 10,000 of them stay cheap. */
    static final class Boom extends RuntimeException {
        Boom(String message) {
            super(message, null, false, false);
        }
    }

    record Report(TaskSnapshot task, Throwable failure) {
    }

    /** Every unobserved-failure report, by task id; a second report for a task is kept apart. */
    private final Map<Long, Report> reports = new ConcurrentHashMap<>();
    private final AtomicInteger reportCount = new AtomicInteger();
    private final List<Long> reportedTwice = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The loop logs each unobserved failure at ERROR; 10,000 of those would drown the test output. */
    private final Logger loopLog = Logger.getLogger("dev.taskloop.core.EventLoop");
    private Level previousLevel;
    private EventLoop loop;

    @BeforeEach
    void openLoop() {
        previousLevel = loopLog.getLevel();
        loopLog.setLevel(Level.OFF);
        loop = EventLoop.builder()
                .name("many")
                .listener(new LoopListener() {
                    @Override
                    public void unobservedFailure(TaskSnapshot task, Throwable failure) {
                        reportCount.incrementAndGet();
                        if (reports.putIfAbsent(task.id(), new Report(task, failure)) != null) {
                            reportedTwice.add(task.id());
                        }
                    }
                })
                .build();
    }

    @AfterEach
    void closeLoop() {
        loop.shutdown(Duration.ofSeconds(10));
        loopLog.setLevel(previousLevel);
    }

    @Test
    void aHundredThousandTasksSpawnedWithoutKeepingReferencesAllRunAndFinish() {
        LongAdder ran = new LongAdder();
        for (int i = 0; i < TASKS; i++) {
            int n = i;
            loop.spawn("task-" + n, () -> {
                ran.increment();
                if (n % FAIL_EVERY == 0) {
                    throw new Boom("task " + n + " failed");
                }
            });
        }

        await().atMost(BOUND).until(() -> loop.snapshot().liveTasks() == 0);

        assertThat(ran.sum()).isEqualTo(TASKS);
        var snapshot = loop.snapshot();
        assertThat(snapshot.spawned()).isEqualTo(TASKS);
        assertThat(snapshot.completed()).isEqualTo(TASKS - TASKS / FAIL_EVERY);
        assertThat(snapshot.failed()).isEqualTo(TASKS / FAIL_EVERY);
        assertThat(snapshot.cancelled()).isZero();
        assertThat(loop.tasks()).isEmpty();
    }

    @Test
    void everyFailureNobodyRetrievedIsReportedExactlyOnceWhenItsTaskIsCollected() {
        Set<Long> failingIds = new HashSet<>();
        for (int i = 0; i < TASKS; i++) {
            int n = i;
            long id = loop.spawn("task-" + n, () -> {
                if (n % FAIL_EVERY == 0) {
                    throw new Boom("task " + n + " failed");
                }
            }).id(); // only the id is kept, never the task
            if (n % FAIL_EVERY == 0) {
                failingIds.add(id);
            }
        }
        await().atMost(BOUND).until(() -> loop.snapshot().liveTasks() == 0);

        collectGarbageUntil(() -> reportCount.get() >= failingIds.size());
        awaitAllEarlierReports();

        assertThat(reportedTwice).as("tasks reported more than once").isEmpty();
        assertThat(reportCount).hasValue(TASKS / FAIL_EVERY + 1); // + the barrier's sentinel
        assertThat(reports.keySet()).containsAll(failingIds);
        assertThat(failingIds).allSatisfy(id -> {
            Report r = reports.get(id);
            assertThat(r.task().state()).isEqualTo(Task.State.FAILED);
            assertThat(r.task().loop()).isEqualTo("many");
            assertThat(r.failure()).isInstanceOf(Boom.class)
                    .hasMessage(r.task().name().replace("task-", "task ") + " failed");
        });
    }

    @Test
    void failuresThatWereRetrievedAreNotReported() {
        int perWay = 250;
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 4 * perWay; i++) {
            int n = i;
            tasks.add(loop.spawn("retrieved-" + n, () -> {
                throw new Boom("retrieved " + n);
            }));
        }
        await().atMost(BOUND).until(() -> loop.snapshot().liveTasks() == 0);
        Set<Long> retrievedIds = new HashSet<>();
        List<WeakReference<Task<Void>>> collected = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            Task<Void> t = tasks.get(i);
            Throwable retrieved = switch (i % 4) {
                case 0 -> catchThrowable(t::join).getCause();
                case 1 -> catchThrowable(() -> t.join(BOUND)).getCause();
                case 2 -> catchThrowable(t::result).getCause();
                default -> t.exception();
            };
            assertThat(retrieved).isInstanceOf(Boom.class);
            retrievedIds.add(t.id());
            collected.add(new WeakReference<>(t));
        }
        tasks.clear();

        collectGarbageUntil(() -> collected.stream().allMatch(w -> w.get() == null));
        awaitAllEarlierReports();

        assertThat(reports.keySet()).as("ids reported").doesNotContainAnyElementsOf(retrievedIds).hasSize(1);
    }

    /**
     * A timeout's exception holds its scope, and a cancel scope once held its task: such a failure
     * must neither keep its task alive once retrieved nor go unreported when nobody retrieves it
     * (the fault soak found 2.5 KB kept per task that had failed with a timeout).
     */
    @Test
    void failuresWhoseCauseLedBackToTheirTaskAreCollectedAndReportedAlike() {
        int n = 500;
        Set<Long> unretrievedIds = new HashSet<>();
        List<Task<Void>> retrieved = new ArrayList<>();
        for (int i = 0; i < 2 * n; i++) {
            Task<Void> t = loop.spawn("timed-out-" + i, () -> {
                Async.withTimeout(Duration.ofMillis(1), () -> {
                    Async.sleep(Duration.ofDays(1));
                    return null;
                });
            });
            if (i % 2 == 0) {
                retrieved.add(t);
            } else {
                unretrievedIds.add(t.id());
            }
        }
        await().atMost(BOUND).until(() -> loop.snapshot().liveTasks() == 0);
        List<WeakReference<Task<Void>>> collected = new ArrayList<>();
        for (Task<Void> t : retrieved) {
            assertThat(t.exception()).isInstanceOf(TimeoutExpiredException.class).hasCauseInstanceOf(CancelledException.class);
            collected.add(new WeakReference<>(t));
        }
        retrieved.clear();

        collectGarbageUntil(() -> collected.stream().allMatch(w -> w.get() == null)
                && reports.keySet().containsAll(unretrievedIds));
        awaitAllEarlierReports();

        assertThat(reportedTwice).as("tasks reported more than once").isEmpty();
        assertThat(reports).as("the unretrieved failures and the sentinel, nothing else").hasSize(n + 1);
        assertThat(unretrievedIds).allSatisfy(id -> assertThat(reports.get(id).failure()).isInstanceOf(TimeoutExpiredException.class));
    }

    /**
     * A barrier for the cleaner: spawns one more failing task, lets it be collected, and waits for
     * its report. Reports of tasks collected earlier have been delivered by then (the cleaner runs
     * its actions one at a time, in the order the collector hands them over), so a missing or
     * duplicate report cannot arrive after the test's assertions.
     */
    private void awaitAllEarlierReports() {
        long sentinel = loop.spawn("sentinel", () -> {
            throw new Boom("sentinel");
        }).id();
        await().atMost(BOUND).until(() -> loop.task(sentinel).isEmpty());
        collectGarbageUntil(() -> reports.containsKey(sentinel));
    }

    /** Runs the garbage collector until {@code condition} holds; bounded. */
    private static void collectGarbageUntil(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> {
            System.gc();
            return condition.call();
        });
    }
}
