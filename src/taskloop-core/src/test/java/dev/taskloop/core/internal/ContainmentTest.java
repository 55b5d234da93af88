package dev.taskloop.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.SlowStep;
import dev.taskloop.core.spi.TaskSnapshot;
import dev.taskloop.core.sync.Lock;
import dev.taskloop.core.testing.Blocking;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.core.testing.TestLoopExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every call the loop makes into integration code (listener methods, lag observers and their
 * factory, callbacks, done callbacks, completion listeners, close hooks), made to throw a
 * {@code RuntimeException} and an {@code AssertionError}: the loop keeps running tasks, spawn never
 * throws the integration's failure, shutdown leaves no stragglers, and the log has one report per
 * failing site per interval of the loop's clock.
 */
class ContainmentTest {

    /** Where the hostile integration throws. */
    enum Site {
        TASK_SPAWNED("(taskSpawned)"), TASK_STARTING("(taskStarting)"), TASK_ENDED("(taskEnded)"),
        SLOW_STEP("(slowStep)"), CANCELLATION_SWALLOWED("(cancellationSwallowed)"),
        CALLBACK_FAILED("(callbackFailed)"), LAG_OBSERVER("lag observer"), CALL_SOON("callback hostile-callSoon"),
        DONE_CALLBACK("done callback hostile-onDone"), COMPLETION_LISTENER("completion listener hostile-completion"),
        LOCK_ABANDONED("(lockAbandoned)"),
        UNOBSERVED_FAILURE("(unobservedFailure)", false), SHUTDOWN_STRAGGLERS("(shutdownStragglers)", false),
        FATAL_ERROR("(fatalError)", false);

        final String inReport;
        /** Whether one round of ordinary work reaches it; the others have a test of their own below. */
        final boolean inRound;

        Site(String inReport) {
            this(inReport, true);
        }

        Site(String inReport, boolean inRound) {
            this.inReport = inReport;
            this.inRound = inRound;
        }
    }

    static Stream<Arguments> sitesAndFailures() {
        List<Arguments> all = new ArrayList<>();
        for (Site s : Site.values()) {
            if (!s.inRound) {
                continue;
            }
            all.add(Arguments.of(s, "RuntimeException"));
            all.add(Arguments.of(s, "AssertionError"));
        }
        return all.stream();
    }

    private static Throwable failure(String kind, Site site) {
        return kind.equals("AssertionError") ? new AssertionError("hostile " + site) : new IllegalStateException("hostile " + site);
    }

    @RegisterExtension
    final TestLoopExtension loops = new TestLoopExtension();
    private final Logger loopLog = Logger.getLogger("dev.taskloop.core.EventLoop");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheLoopsLog() {
        loopLog.addHandler(capture);
    }

    @AfterEach
    void release() {
        loopLog.removeHandler(capture);
    }

    private List<LogRecord> reportsOf(Site site) {
        return records.stream().filter(r -> r.getMessage() != null && r.getMessage().contains(site.inReport)
                && r.getMessage().contains("threw")).toList();
    }

    /** A listener that throws from the one method of the site. */
    private static final class Hostile implements LoopListener {
        final Site site;
        final Supplier<Throwable> failure;
        final AtomicInteger thrown = new AtomicInteger();

        Hostile(Site site, Supplier<Throwable> failure) {
            this.site = site;
            this.failure = failure;
        }

        private void maybe(Site s) {
            if (site == s) {
                thrown.incrementAndGet();
                throw sneaky(failure.get());
            }
        }

        @Override
        public void taskSpawned(Task<?> task) {
            maybe(Site.TASK_SPAWNED);
        }

        @Override
        public void taskStarting(Task<?> task) {
            maybe(Site.TASK_STARTING);
        }

        @Override
        public void taskEnded(TaskSnapshot task) {
            maybe(Site.TASK_ENDED);
        }

        @Override
        public void slowStep(SlowStep step) {
            maybe(Site.SLOW_STEP);
        }

        @Override
        public void cancellationSwallowed(TaskSnapshot task, String scope) {
            maybe(Site.CANCELLATION_SWALLOWED);
        }

        @Override
        public void callbackFailed(String callback, Throwable f) {
            maybe(Site.CALLBACK_FAILED);
        }

        @Override
        public void lockAbandoned(TaskSnapshot task, String lock, int waiting) {
            maybe(Site.LOCK_ABANDONED);
        }

        @Override
        public void unobservedFailure(TaskSnapshot task, Throwable f) {
            maybe(Site.UNOBSERVED_FAILURE);
        }

        @Override
        public void shutdownStragglers(String loop, List<TaskSnapshot> stragglers) {
            maybe(Site.SHUTDOWN_STRAGGLERS);
        }

        @Override
        public void fatalError(String loop, String where, VirtualMachineError error) {
            maybe(Site.FATAL_ERROR);
        }

        @Override
        public LongConsumer lagObserver() {
            return new LongConsumer() {
                @Override
                public void accept(long lag) {
                    maybe(Site.LAG_OBSERVER);
                }

                @Override
                public String toString() {
                    return "hostile-lag";
                }
            };
        }

        @Override
        public String toString() {
            return "hostile-listener";
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    private record Named(String name, Runnable r) implements Runnable {
        @Override
        public void run() {
            r.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** One round of work touching every site once or more; returns the tasks, which must all complete. */
    private List<Task<?>> round(TestLoop test, Site site, Supplier<Throwable> failure) {
        EventLoop loop = test.loop();
        List<Task<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            Task<Integer> t = loop.spawn("worker-" + i, () -> {
                Async.yieldNow();
                Async.sleep(Duration.ofMillis(1));
                return n;
            });
            tasks.add(t);
            if (site == Site.DONE_CALLBACK) {
                t.onDone(new java.util.function.Consumer<Task<Integer>>() {
                    @Override
                    public void accept(Task<Integer> x) {
                        throw sneaky(failure.get());
                    }

                    @Override
                    public String toString() {
                        return "hostile-onDone";
                    }
                });
            }
            if (site == Site.COMPLETION_LISTENER) {
                ((TaskImpl<Integer>) t).addCompletionListener(new java.util.function.Consumer<TaskImpl<Integer>>() {
                    @Override
                    public void accept(TaskImpl<Integer> x) {
                        throw sneaky(failure.get());
                    }

                    @Override
                    public String toString() {
                        return "hostile-completion";
                    }
                });
            }
        }
        if (site == Site.LOCK_ABANDONED) {
            tasks.add(loop.spawn("abandoner", () -> {
                new Lock("abandoned").acquire(); // ends holding it, on purpose: the loop reports the lock abandoned
                return "left it locked";
            }));
        }
        if (site == Site.CALL_SOON || site == Site.CALLBACK_FAILED) {
            loop.callSoon(new Named("hostile-callSoon", () -> {
                throw sneaky(failure.get());
            }));
        }
        if (site == Site.CANCELLATION_SWALLOWED) {
            Task<String> swallower = loop.spawn("swallower", () -> {
                try {
                    Async.sleep(Duration.ofDays(1));
                } catch (CancelledException swallowed) {
                    // on purpose: reported as swallowed
                }
                return "carried on";
            });
            test.runCurrent();
            swallower.cancel("swallow this");
            tasks.add(swallower);
        }
        test.advanceTimeBy(Duration.ofMillis(1));
        test.runCurrent();
        return tasks;
    }

    @ParameterizedTest(name = "{0} throwing {1}")
    @MethodSource("sitesAndFailures")
    void aFailingIntegrationIsContainedAndReportedOncePerInterval(Site site, String kind) {
        Supplier<Throwable> failure = () -> failure(kind, site);
        Hostile hostile = new Hostile(site, failure);
        EventLoop.Builder b = EventLoop.builder().name("contained").watchdog(false).listener(hostile);
        if (site == Site.SLOW_STEP) {
            b.slowStepThreshold(Duration.ofNanos(1)); // every step is slow: the loop calls slowStep after each
        }
        TestLoop test = loops.create(b);

        List<Task<?>> first = round(test, site, failure);
        List<Task<?>> second = round(test, site, failure);
        for (Task<?> t : Stream.concat(first.stream(), second.stream()).toList()) {
            assertThat(t.state()).as(t.name()).isEqualTo(Task.State.COMPLETED);
        }
        // Still runs tasks, and a spawn + join completes.
        Task<String> later = test.loop().spawn("later", () -> "fine");
        test.runCurrent();
        assertThat(later.result()).isEqualTo("fine");

        List<LogRecord> reports = reportsOf(site);
        assertThat(reports).as("reports of %s in %s", site, records.stream().map(LogRecord::getMessage).toList()).hasSize(1);
        assertThat(reports.getFirst().getLevel()).isEqualTo(Level.WARNING);
        assertThat(reports.getFirst().getThrown()).hasMessage("hostile " + site);
        assertThat(reports.getFirst().getMessage()).contains("event loop 'contained'", "contained, the loop carries on");

        // The next interval: one more report, with the count of those in between.
        test.advanceTimeBy(Containment.INTERVAL);
        round(test, site, failure);
        reports = reportsOf(site);
        assertThat(reports).hasSize(2);
        assertThat(reports.get(1).getMessage()).containsPattern("\\(\\d+ more failure\\(s\\) of it since its last report\\)");

        List<TaskSnapshot> stragglers = test.loop().shutdown(Duration.ofSeconds(10));
        assertThat(stragglers).isEmpty();
    }

    @ParameterizedTest(name = "throwing {0}")
    @MethodSource("kinds")
    void aLagObserverFactoryThatThrowsLeavesTheListenerWithoutOneAndTheLoopRunning(String kind) {
        LoopListener l = new LoopListener() {
            @Override
            public LongConsumer lagObserver() {
                throw sneaky(failure(kind, Site.LAG_OBSERVER));
            }

            @Override
            public String toString() {
                return "hostile-factory";
            }
        };
        TestLoop test = loops.create(EventLoop.builder().name("contained").watchdog(false).listener(l));
        Task<Integer> t = test.loop().spawn("t", () -> 7);
        test.runCurrent();
        assertThat(t.result()).isEqualTo(7);
        assertThat(records.stream().filter(r -> r.getMessage().contains("hostile-factory (lagObserver())"))).hasSize(1);
    }

    static Stream<String> kinds() {
        return Stream.of("RuntimeException", "AssertionError");
    }

    @ParameterizedTest(name = "throwing {0}")
    @MethodSource("kinds")
    void aCloseHookThatThrowsIsReportedAndTheOthersAreClosedAllTheSame(String kind) {
        TestLoop test = loops.create(EventLoop.builder().name("contained").watchdog(false));
        Loop loop = (Loop) test.loop();
        AtomicBoolean secondClosed = new AtomicBoolean();
        loop.onClose(new AutoCloseable() {
            @Override
            public void close() {
                throw sneaky(failure(kind, Site.CALL_SOON));
            }

            @Override
            public String toString() {
                return "hostile-close-hook";
            }
        });
        loop.onClose(() -> secondClosed.set(true));
        Task<Void> sleeper = loop.spawn("sleeper", () -> Async.sleep(Duration.ofDays(1)));
        test.runCurrent();

        assertThat(loop.shutdown(Duration.ofSeconds(10))).isEmpty();
        assertThat(sleeper.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(secondClosed).isTrue();
        assertThat(records.stream().filter(r -> r.getMessage().contains("closing hostile-close-hook threw"))).hasSize(1);
    }

    @Test
    void aVirtualMachineErrorFromALagObserverClosesTheLoopInOrderAndIsReported() throws Exception {
        List<String> fatal = new CopyOnWriteArrayList<>();
        CountDownLatch told = new CountDownLatch(1);
        CountDownLatch sleeping = new CountDownLatch(1);
        AtomicInteger finallies = new AtomicInteger();
        LoopListener l = new LoopListener() {
            @Override
            public LongConsumer lagObserver() {
                return lag -> {
                    throw new StackOverflowError("hostile observer");
                };
            }

            @Override
            public void fatalError(String loop, String where, VirtualMachineError error) {
                fatal.add(loop + ": " + where + ": " + error.getMessage());
                told.countDown();
            }
        };
        EventLoop loop = EventLoop.builder().name("fatal").watchdog(false).build();
        Task<Void> sleeper = loop.spawn("sleeper", () -> {
            try {
                sleeping.countDown();
                Async.sleep(Duration.ofDays(1));
            } finally {
                finallies.incrementAndGet();
            }
        });
        assertThat(sleeping.await(10, TimeUnit.SECONDS)).isTrue();
        loop.addListener(l);
        Task<String> next = loop.spawn("next", () -> "ran"); // spawn does not throw; the lag of its first step is observed
        assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.shutdown(Duration.ofSeconds(10))).isEmpty(); // waits for the fatal close if it came first
        assertThat(loop.isClosed()).isTrue();
        assertThat(sleeper.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(finallies).hasValue(1);
        assertThat(next.isDone()).isTrue();
        assertThat(fatal).hasSize(1);
        assertThat(fatal.getFirst()).startsWith("fatal: lag observer").endsWith("hostile observer");
        assertThat(records.stream().filter(r -> r.getLevel() == Level.SEVERE && r.getMessage().contains("is being closed"))).hasSize(1);
    }

    @ParameterizedTest(name = "throwing {0}")
    @MethodSource("kinds")
    void aListenerThatThrowsFromUnobservedFailureIsContainedAndReportedOnce(String kind) {
        Hostile hostile = new Hostile(Site.UNOBSERVED_FAILURE, () -> failure(kind, Site.UNOBSERVED_FAILURE));
        TestLoop test = loops.create(EventLoop.builder().name("contained").watchdog(false).listener(hostile));
        for (int i = 0; i < 3; i++) {
            test.loop().spawn("unobserved-" + i, () -> {
                throw new IllegalStateException("nobody retrieves this");
            });
        }
        test.runCurrent();
        // Their failures are reported when the tasks are collected, from the cleaner's thread.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return hostile.thrown.get() >= 3;
        });
        Task<String> later = test.loop().spawn("later", () -> "fine");
        test.runCurrent();
        assertThat(later.result()).isEqualTo("fine");
        assertThat(reportsOf(Site.UNOBSERVED_FAILURE)).as("one report per interval of the loop's clock").hasSize(1);
        assertThat(test.loop().shutdown(Duration.ofSeconds(10))).isEmpty();
    }

    @ParameterizedTest(name = "throwing {0}")
    @MethodSource("kinds")
    void aListenerThatThrowsFromShutdownStragglersLeavesShutdownItsResult(String kind) throws Exception {
        Hostile hostile = new Hostile(Site.SHUTDOWN_STRAGGLERS, () -> failure(kind, Site.SHUTDOWN_STRAGGLERS));
        EventLoop loop = EventLoop.builder().name("contained").listener(hostile).build();
        CountDownLatch started = new CountDownLatch(1);
        loop.spawn("blocker", () -> {
            started.countDown();
            try {
                Blocking.sleep(Duration.ofMinutes(5)); // blocks the loop on purpose: only shutdown's interrupt ends it
            } catch (InterruptedException e) {
                // ended by the interrupt
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        List<TaskSnapshot> stragglers = loop.shutdown(Duration.ofMillis(200));
        assertThat(stragglers).extracting(TaskSnapshot::name).containsExactly("blocker");
        assertThat(hostile.thrown).hasValue(1);
        assertThat(reportsOf(Site.SHUTDOWN_STRAGGLERS)).hasSize(1);
        assertThat(loop.isClosed()).isTrue();
    }

    @ParameterizedTest(name = "throwing {0}")
    @MethodSource("kinds")
    void aListenerThatThrowsFromFatalErrorIsContainedAndTheLoopGoesOn(String kind) {
        Hostile hostile = new Hostile(Site.FATAL_ERROR, () -> failure(kind, Site.FATAL_ERROR));
        TestLoop test = loops.create(EventLoop.builder().name("contained").watchdog(false).listener(hostile));
        List<Task<Void>> hogs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            hogs.add(test.loop().spawn("hog-" + i, () -> {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }));
        }
        test.runCurrent();
        assertThat(hogs).allSatisfy(h -> assertThat(h.state()).isEqualTo(Task.State.FAILED));
        assertThat(hostile.thrown).hasValue(2);
        assertThat(reportsOf(Site.FATAL_ERROR)).hasSize(1);
        Task<String> after = test.loop().spawn("after", () -> "fine");
        test.runCurrent();
        assertThat(after.result()).isEqualTo("fine");
        hogs.forEach(Task::exception); // observed: no unobserved-failure report
        assertThat(test.loop().shutdown(Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void aTaskThatThrowsAVirtualMachineErrorIsReportedAsFatalAndTheLoopGoesOn() {
        List<String> fatal = new CopyOnWriteArrayList<>();
        TestLoop test = loops.create(EventLoop.builder().name("vme").watchdog(false).listener(new LoopListener() {
            @Override
            public void fatalError(String loop, String where, VirtualMachineError error) {
                fatal.add(where + ": " + error);
            }
        }));
        Task<Void> oom = test.loop().spawn("hog", () -> {
            throw new OutOfMemoryError("Java heap space (simulated)");
        });
        test.runCurrent();
        assertThat(oom.state()).isEqualTo(Task.State.FAILED);
        assertThat(fatal).containsExactly("task 'hog' (id " + oom.id() + "): java.lang.OutOfMemoryError: Java heap space (simulated)");
        assertThat(records.stream().filter(r -> r.getLevel() == Level.SEVERE && r.getMessage().contains("ExitOnOutOfMemoryError"))).hasSize(1);
        Task<String> after = test.loop().spawn("after", () -> "fine");
        test.runCurrent();
        assertThat(after.result()).isEqualTo("fine");
        oom.exception(); // observed: no unobserved-failure report
    }
}
