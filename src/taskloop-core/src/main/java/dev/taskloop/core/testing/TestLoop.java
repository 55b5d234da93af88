package dev.taskloop.core.testing;

import dev.taskloop.core.AsyncCallable;
import dev.taskloop.core.CancelOrigin;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.internal.Checks;
import dev.taskloop.core.internal.TestHooks;
import dev.taskloop.core.spi.Describe;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.TaskSnapshot;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventLoop} on a {@link ManualTicker}, driven by the test (kotlinx's
 * {@code TestCoroutineScheduler}, Trio's {@code MockClock} with {@code wait_all_tasks_blocked}).
 *
 * <pre>{@code
 * try (TestLoop test = TestLoop.create()) {
 *     Task<String> t = test.loop().spawn("poller", () -> { Async.sleep(Duration.ofSeconds(30)); return "polled"; });
 *     test.advanceTimeBy(Duration.ofSeconds(29));
 *     assertThat(t.isDone()).isFalse();
 *     test.advanceTimeBy(Duration.ofSeconds(1));
 *     assertThat(t.result()).isEqualTo("polled");
 * }
 * }</pre>
 *
 * <p>Every method that moves time waits, between steps, until the loop is <em>quiescent</em>: the
 * baton is free, nothing is ready, no timer is due now and no offloaded call is running. A loop
 * that does not get there within the real-time limit ({@link #quiescenceTimeout}, 10 s by default)
 * fails the test with a dump of the tasks that never parked and their stacks.
 *
 * <p>The methods are meant for the test's own thread, not for the loop's tasks. Unlike kotlinx's
 * {@code advanceTimeBy}, timers due exactly at the new time have run when {@link #advanceTimeBy}
 * returns.
 *
 * @since 0.1.0
 */
public final class TestLoop implements AutoCloseable {

    private final ManualTicker ticker;
    private final EventLoop loop;
    private final TestHooks hooks;
    private final long start;
    private long quiescenceTimeoutNanos = Duration.ofSeconds(10).toNanos();

    private TestLoop(ManualTicker ticker, EventLoop loop) {
        this.ticker = ticker;
        this.loop = loop;
        this.hooks = TestHooks.of(loop);
        this.start = ticker.read();
    }

    /** A test loop named {@code test} on a new {@link ManualTicker} at 0. */
    public static TestLoop create() {
        return create(EventLoop.builder().name("test"));
    }

    /**
     * A test loop built from {@code builder} (its ticker is replaced with a new {@link ManualTicker};
     * its watchdog setting is kept, since the watchdog works in wall time).
     */
    public static TestLoop create(EventLoop.Builder builder) {
        ManualTicker ticker = new ManualTicker();
        return new TestLoop(ticker, builder.ticker(ticker).build());
    }

    /** Adds a listener to the loop. */
    public TestLoop listener(LoopListener listener) {
        loop.addListener(listener);
        return this;
    }

    /** The loop under test. */
    public EventLoop loop() {
        return loop;
    }

    /** The loop's ticker. */
    public ManualTicker ticker() {
        return ticker;
    }

    /** Virtual time elapsed since the test loop was created. */
    public Duration currentTime() {
        return Duration.ofNanos(ticker.read() - start);
    }

    /** The real-time limit for each wait for quiescence. */
    public TestLoop quiescenceTimeout(Duration timeout) {
        this.quiescenceTimeoutNanos = Checks.saturatedNanos(Checks.positive("quiescenceTimeout", timeout));
        return this;
    }

    /** Turns auto-jump on or off; see {@link ManualTicker}. */
    public TestLoop autoJump(boolean enabled) {
        ticker.autoJump(enabled);
        return this;
    }

    /** Runs everything that can run at the current virtual time, until the loop is quiescent. */
    public void runCurrent() {
        awaitQuiescence();
    }

    /**
     * Moves virtual time forward by {@code delta}, firing every timer due on the way in deadline
     * order, each followed by quiescence, including those due exactly at the new time.
     */
    public void advanceTimeBy(Duration delta) {
        long target = Checks.deadline(ticker.read(), Checks.saturatedNanos(Checks.nonNegative("advanceTimeBy", delta)));
        awaitQuiescence();
        long next;
        while ((next = hooks.nextTimerDeadline()) <= target) {
            stepTo(next);
        }
        stepTo(target);
    }

    /** Runs until no task is ready and no timer is left, moving virtual time to each timer in turn. */
    public void advanceUntilIdle() {
        awaitQuiescence();
        long next;
        while ((next = hooks.nextTimerDeadline()) != Long.MAX_VALUE) {
            stepTo(next);
        }
    }

    /**
     * kotlinx's {@code runTest}: spawns {@code main}, advances virtual time from timer to timer until
     * it ends, and returns its result.
     *
     * @throws AssertionError if {@code main} waits for something that no timer will bring (a deadlock)
     * @throws dev.taskloop.core.TaskFailedException if {@code main} failed
     */
    public <T extends @Nullable Object> T run(AsyncCallable<T, ?> main) {
        Task<T> task = loop.spawn("main", main);
        awaitQuiescence();
        while (!task.isDone()) {
            long next = hooks.nextTimerDeadline();
            if (next == Long.MAX_VALUE) {
                throw new AssertionError("task 'main' waits for something no timer will bring (deadlock?); "
                        + describeTasks(loop.tasks().stream().map(Task::snapshot).toList().toArray(TaskSnapshot[]::new)));
            }
            stepTo(next);
        }
        return task.join();
    }

    private void stepTo(long time) {
        ticker.advanceTo(time);
        hooks.poke();
        awaitQuiescence();
    }

    /**
     * Waits (real time, up to the quiescence timeout) until the loop is quiescent.
     *
     * @throws AssertionError with the tasks that never parked, and their stacks, if it is not
     */
    public void awaitQuiescence() {
        if (!hooks.awaitQuiescent(quiescenceTimeoutNanos)) {
            String busy = loop.tasks().stream()
                    .filter(t -> t.state() == Task.State.RUNNING || t.state() == Task.State.READY
                            || (t.snapshot().awaiting() != null && "offload".equals(t.snapshot().awaiting().kind())))
                    .sorted(Comparator.comparingLong(Task::id))
                    .map(t -> "\n  " + Describe.task(t) + ", " + t.state()
                            + Arrays.stream(t.stackTrace()).map(e -> "\n      at " + e).collect(Collectors.joining()))
                    .collect(Collectors.joining());
            throw new AssertionError("event loop '" + loop.name() + "' did not become quiescent within "
                    + Duration.ofNanos(quiescenceTimeoutNanos) + " of real time; tasks that never parked:"
                    + (busy.isEmpty() ? " none (a callback or the baton holder is stuck: " + loop.snapshot().holderName() + ")" : busy));
        }
    }

    private static String describeTasks(TaskSnapshot[] tasks) {
        return Arrays.stream(tasks).map(s -> "'" + s.name() + "' " + s.state() + (s.awaiting() != null ? " on " + s.awaiting() : ""))
                .collect(Collectors.joining(", ", "tasks: [", "]"));
    }

    /**
     * Shuts the loop down: cancels what is left and waits for it (up to 10 s of real time). The
     * tasks are cancelled before virtual time moves again, so a task asleep when the test ends is
     * cancelled, not woken by its timer; then auto-jump is turned on, so cleanup that sleeps (in a
     * shielded scope) does not wait for a test that has stopped driving time.
     */
    @Override
    public void close() {
        if (!loop.isClosed()) {
            CancelReason reason = CancelReason.of(CancelOrigin.SHUTDOWN, "event loop '" + loop.name() + "' is shutting down");
            for (Task<?> t : loop.tasks()) {
                t.cancel(reason); // wakes each one by a callback, queued ahead of the next
            }
            loop.callSoon(() -> ticker.autoJump(true)); // behind those: time jumps only once the tasks were woken
        } else {
            ticker.autoJump(true);
        }
        loop.shutdown(Duration.ofSeconds(10));
    }
}
