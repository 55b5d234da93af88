package dev.taskloop.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.SlowStep;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.core.testing.Blocking;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog reports a task that blocks while it holds the baton, while it is still stuck, and
 * says who and where; the same blocking call through {@link Async#offload} is not a slow step and
 * does not stall the other tasks. Real time here (the system ticker): the watchdog is about wall
 * time, and so is the stall it detects.
 */
class WatchdogTest {

    private static final Duration THRESHOLD = Duration.ofMillis(100);
    private static final long BLOCK_MILLIS = 300;
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** What the listener saw, with the state of the world at the moment it was told. */
    record Seen(SlowStep step, Task.State taskState, boolean sleepHadReturned, long atNanos) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstOngoingReport = new CountDownLatch(1);
    private final CountDownLatch endOfStepReport = new CountDownLatch(1);
    /** Set by the blocking task right after Thread.sleep returns. */
    private volatile boolean sleepReturned;
    private EventLoop loop;

    @BeforeEach
    void openLoop() {
        loop = EventLoop.builder()
                .name("watched")
                .slowStepThreshold(THRESHOLD)
                .listener(new LoopListener() {
                    @Override
                    public void slowStep(SlowStep step) {
                        Task.State state = loop.task(step.taskId()).map(Task::state).orElse(null);
                        seen.add(new Seen(step, state, sleepReturned, System.nanoTime()));
                        if (step.ongoing()) {
                            firstOngoingReport.countDown();
                        } else {
                            endOfStepReport.countDown();
                        }
                    }
                })
                .build();
    }

    @AfterEach
    void closeLoop() {
        loop.shutdown(BOUND);
    }

    @Test
    void aTaskThatCallsThreadSleepWhileHoldingTheBatonIsReportedWithItsNameAndStackBeforeTheSleepEnds() throws Exception {
        Task<Void> blocker = loop.spawn("blocker", () -> {
            Blocking.sleep(Duration.ofMillis(BLOCK_MILLIS)); // keeps the baton: this IS the behaviour under test
            sleepReturned = true;
        });

        assertThat(firstOngoingReport.await(BOUND.toSeconds(), SECONDS))
                .as("the watchdog reports the stuck step while it is stuck").isTrue();
        blocker.join(BOUND);

        Seen report = seen.stream().filter(s -> s.step().ongoing()).findFirst().orElseThrow();
        SlowStep step = report.step();
        assertThat(report.sleepHadReturned()).as("reported before Thread.sleep returned").isFalse();
        assertThat(report.taskState()).as("state of the task when reported").isEqualTo(Task.State.RUNNING);
        assertThat(step.heldFor()).isGreaterThanOrEqualTo(THRESHOLD).isLessThan(Duration.ofMillis(BLOCK_MILLIS));
        assertThat(step.taskName()).isEqualTo("blocker");
        assertThat(step.taskId()).isEqualTo(blocker.id());
        assertThat(step.loop()).isEqualTo("watched");
        assertThat(step.threshold()).isEqualTo(THRESHOLD);
        assertThat(step.blocked()).as("Thread.sleep is a non-Taskloop wait: the loop is blocked, not busy").isTrue();
        assertThat(step.threadState()).isEqualTo(Thread.State.TIMED_WAITING);
        assertThat(step.stack())
                .as("the live stack of the blocker")
                .anySatisfy(e -> {
                    assertThat(e.getClassName()).isEqualTo("java.lang.Thread");
                    assertThat(e.getMethodName()).isEqualTo("sleep");
                })
                .anySatisfy(e -> assertThat(e.getClassName()).startsWith(WatchdogTest.class.getName()));
        assertThat(step.describe()).contains("blocker", "watched", "blocked");

        // When the step ends, the loop reports it again, as finished, and counts it. That report
        // comes from the task's last hand-off, just after join() has returned, so wait for it.
        assertThat(endOfStepReport.await(BOUND.toSeconds(), SECONDS)).as("the end-of-step report").isTrue();
        assertThat(seen).anySatisfy(s -> {
            assertThat(s.step().ongoing()).isFalse();
            assertThat(s.step().taskName()).isEqualTo("blocker");
            assertThat(s.step().blocked()).isTrue();
            assertThat(s.step().heldFor()).isGreaterThanOrEqualTo(Duration.ofMillis(BLOCK_MILLIS));
        });
        assertThat(loop.snapshot().slowSteps()).isEqualTo(1);
        assertThat(loop.snapshot().blockedSteps()).isEqualTo(1);
    }

    @Test
    void theSameSleepThroughOffloadIsNotReportedAndA10MsTickerOnTheSameLoopKeepsItsSchedule() {
        long period = Duration.ofMillis(10).toNanos();
        // The bound on a tick's lateness against its intended time: one period plus 90 ms of noise.
        // If offload() kept the baton, the first tick due in the offload window would run only when
        // the 300 ms sleep ends, about 290 ms late: the bound is under a third of that signal.
        // The noise allowance is measured, not guessed: over ~200 runs on the 2-CPU machine this
        // suite runs on, the max lateness was 0.2-5 ms while the machine was quiet, but with other
        // builds running (load average ~5) single OS-scheduling hiccups of 20-67 ms showed up now
        // and then, before the offload as well as during it. With 40 ms of noise the test failed
        // there for no fault of the loop.
        long allowedLateness = period + Duration.ofMillis(90).toNanos();

        AtomicReference<long[]> offloadWindow = new AtomicReference<>();
        List<long[]> ticks = new ArrayList<>(); // {intended, actual}; only the ticker task touches it
        Task<Void> ticker = loop.spawn("ticker", () -> {
            long next = System.nanoTime();
            while (true) {
                next += period;
                Async.sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
                ticks.add(new long[] {next, System.nanoTime()});
            }
        });
        Task<Void> offloader = loop.spawn("offloader", () -> {
            Async.sleep(Duration.ofMillis(50)); // let the ticker settle first
            long start = System.nanoTime();
            Async.offload(() -> Blocking.sleep(Duration.ofMillis(BLOCK_MILLIS)));
            offloadWindow.set(new long[] {start, System.nanoTime()});
        });

        offloader.join(BOUND);
        ticker.cancel();
        assertThat(ticker.toCompletableFuture()).failsWithin(BOUND);

        long start = offloadWindow.get()[0];
        long end = offloadWindow.get()[1];
        assertThat(Duration.ofNanos(end - start)).isGreaterThanOrEqualTo(Duration.ofMillis(BLOCK_MILLIS));
        List<long[]> during = ticks.stream().filter(t -> t[0] >= start && t[0] <= end).toList();
        long maxLateness = during.stream().mapToLong(t -> t[1] - t[0]).max().orElse(Long.MAX_VALUE);

        assertThat(Duration.ofNanos(maxLateness))
                .as("max lateness of a tick during the offload (bound: one period + 90 ms noise)")
                .isLessThan(Duration.ofNanos(allowedLateness));
        assertThat(during.size())
                .as("ticks intended during the %d ms offload", BLOCK_MILLIS)
                .isGreaterThanOrEqualTo((int) (BLOCK_MILLIS / 10) - 2);
        // Only reports naming the offloader count here. A slow step of the ticker is not what this
        // test is about (its first Async.sleep can take 100+ ms on a cold, loaded JVM: the
        // runtime formats the sleep's duration with String.format, which initialises the locale
        // data). While the loop charges a step's overrun to the next holder (see
        // aSlowStepIsChargedToTheTaskThatHeldTheBatonNotToTheTaskThatRunsNext), such a ticker step
        // is reported against the offloader, and this assertion fails with it, now and then.
        assertThat(seen)
                .as("slow steps reported against the offloader (its step only starts and ends the offload)")
                .noneSatisfy(s -> assertThat(s.step().taskName()).isEqualTo("offloader"));
    }

    @Test
    void aSlowStepIsChargedToTheTaskThatHeldTheBatonNotToTheTaskThatRunsNext() {
        // A listener that computes for 400 ms when task 'first' ends: that time is spent on
        // first's thread while first still holds the baton (the listener contract says a slow
        // listener slows the loop). 'second' runs next and does nothing at all.
        long listenerNanos = Duration.ofMillis(400).toNanos();
        List<SlowStep> ended = new CopyOnWriteArrayList<>();
        loop.addListener(new LoopListener() {
            @Override
            public void taskEnded(TaskSnapshot task) {
                if (task.name().equals("first")) {
                    long until = System.nanoTime() + listenerNanos;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // computing, not blocking
                    }
                }
            }

            @Override
            public void slowStep(SlowStep step) {
                if (!step.ongoing()) {
                    ended.add(step);
                }
            }
        });
        AtomicReference<Task<Void>> second = new AtomicReference<>();
        Task<Void> main = loop.spawn("main", () -> {
            Task<Void> first = Async.spawn("first", () -> { });
            second.set(Async.spawn("second", () -> { }));
            Async.gather(first, second.get());
        });
        main.join(BOUND); // second's step ended (and was reported) before main got the baton back

        assertThat(ended).as("end-of-step slow-step reports")
                .noneSatisfy(s -> assertThat(s.taskName()).isEqualTo("second"))
                .anySatisfy(s -> assertThat(s.taskName()).isEqualTo("first"));
        assertThat(Duration.ofNanos(second.get().snapshot().awakeNanos()))
                .as("awake time of 'second', which only returned (charged the listener's time, it would be 400 ms)")
                // Half the listener's time: a loaded machine's preemption of second's thread (94 ms seen) still passes.
                .isLessThan(Duration.ofNanos(listenerNanos / 2));
    }

    /** Captures what the core logs about the loop 'watched' (through java.util.logging, System.Logger's default). */
    private static java.util.logging.Handler capture(List<String> logged) {
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("'watched'")) {
                    logged.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("dev.taskloop.core.EventLoop").addHandler(capture);
        return capture;
    }

    private static void release(java.util.logging.Handler capture) {
        java.util.logging.Logger.getLogger("dev.taskloop.core.EventLoop").removeHandler(capture);
    }

    @Test
    void aSlowStepShorterThanOneSecondLogsOneLineAtItsEndWithoutAStackWhileTheListenersGetItsStack() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = capture(logged);
        try {
            // 400 ms: past twice the threshold (the watchdog re-reports it at 200 ms), short of the log's 1 s
            loop.spawn("warming-up", () -> Blocking.sleep(Duration.ofMillis(400))).join(BOUND);
            assertThat(endOfStepReport.await(BOUND.toSeconds(), SECONDS)).isTrue();
        } finally {
            release(capture);
        }

        assertThat(seen.stream().filter(s -> s.step().ongoing()).map(Seen::step).toList())
                .as("the listeners heard of it while it lasted, with its stack")
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(s -> assertThat(s.stack()).isNotEmpty());
        assertThat(logged).as("the log: one line, at the step's end, no stack").hasSize(1);
        assertThat(logged.getFirst()).startsWith("loop 'watched' had a slow step: task 'warming-up'").doesNotContain("\tat ");
    }

    @Test
    void repeatedSlowStepsAreLoggedOnceWithTheStackWhileTheListenersGetEveryOneWithItsStack() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = capture(logged);
        try {
            Task<Void> blocker = loop.spawn("blocker", () -> {
                for (int i = 0; i < 3; i++) {
                    // keeps the baton: three slow steps in a row, the first one long enough (past 1 s) for the log to get its stack
                    Blocking.sleep(Duration.ofMillis(i == 0 ? 1200 : 250));
                    Async.sleep(Duration.ofMillis(1)); // an await point that ends the step
                }
            });
            blocker.join(BOUND);
            assertThat(endOfStepReport.await(BOUND.toSeconds(), SECONDS)).isTrue();
        } finally {
            release(capture);
        }

        assertThat(seen.stream().filter(s -> s.step().ongoing()).map(Seen::step).toList())
                .as("every report still reaches the listeners (the endpoint), each with its stack")
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(s -> assertThat(s.stack()).isNotEmpty());
        assertThat(logged).as("the log within one report interval: the first report with its stack, nothing else yet")
                .hasSize(1);
        assertThat(logged.getFirst()).startsWith("loop 'watched' has a slow step: task 'blocker'").contains("\n\tat ")
                .doesNotContain("stuck");
    }
}
