package dev.taskloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.taskloop.core.testing.Blocking;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Misuse fails at once, with a message that names the object (the call, the task, the loop, the
 * group, the bad value) and says what to do instead (DESIGN §1 and §5: "Error messages name the
 * object, its state and the bad value, and say what to do"). "At once" matters: each of these
 * would otherwise hang or corrupt the loop, so every case here would block forever, or for the
 * hour it asks for, if it did not fail fast; the waits are bounded so a hang fails the test.
 */
class BadUseTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration AN_HOUR = Duration.ofHours(1);
    private static final Duration MINUS_ONE_SECOND = Duration.ofSeconds(-1);

    private EventLoop loop;

    @BeforeEach
    void openLoop() {
        loop = EventLoop.builder().name("misused").build();
    }

    @AfterEach
    void closeLoop() {
        loop.shutdown(BOUND);
    }

    /** Runs {@code body} in a task named {@code bad-user} and returns what it returned. */
    private <T> T inTask(AsyncCallable<T, ?> body) {
        return loop.spawn("bad-user", body).join(BOUND);
    }

    /** The message must give a remedy, and one of these phrases is how it would say it. */
    private static void assertSaysWhatToDo(Throwable thrown, String... remedies) {
        assertThat(thrown.getMessage())
                .as("message should say what to do instead, with one of %s", Arrays.toString(remedies))
                .containsAnyOf(remedies);
    }

    // ------------------------------------------------------------------ await points outside a task

    static Stream<Arguments> awaitPoints() {
        return Stream.of(
                Arguments.of("Async.sleep()", (ThrowingCallable) () -> Async.sleep(AN_HOUR)),
                Arguments.of("Async.yieldNow()", (ThrowingCallable) Async::yieldNow),
                Arguments.of("Async.await()", (ThrowingCallable) () -> Async.await(new CompletableFuture<>())),
                Arguments.of("Async.offload()", (ThrowingCallable) () -> Async.offload(() -> Blocking.sleep(AN_HOUR))),
                // the scopes name the method the caller wrote, not the scope they enter
                Arguments.of("Async.withTimeout()", (ThrowingCallable) () -> Async.withTimeout(AN_HOUR, () -> "x")),
                Arguments.of("Timeout.call()", (ThrowingCallable) () -> Timeout.after(AN_HOUR).call(() -> "x")),
                Arguments.of("CancelScope.call()", (ThrowingCallable) () -> CancelScope.create().call(() -> "x")),
                Arguments.of("TaskGroup.call()", (ThrowingCallable) () -> TaskGroup.create().call(() -> "x")));
    }

    @ParameterizedTest(name = "{0} called outside a task fails fast, saying it needs a task and how to get one")
    @MethodSource("awaitPoints")
    void anAwaitPointCalledOutsideATaskFailsFastSayingItNeedsATaskAndHowToGetOne(String call, ThrowingCallable awaitPoint) {
        Throwable thrown = assertTimeoutPreemptively(BOUND, () -> catchThrowable(awaitPoint));

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(call)
                .hasMessageContaining("must be called from a Taskloop task");
        assertSaysWhatToDo(thrown, "loop.spawn(", "EventLoop.run(");
    }

    @Test
    void offloadCalledOutsideATaskDoesNotRunTheWork() {
        AtomicBoolean ran = new AtomicBoolean();

        assertThatThrownBy(() -> Async.offload(() -> ran.set(true))).isInstanceOf(IllegalStateException.class);
        assertThat(ran).isFalse();
    }

    // ------------------------------------------------------------------ joining oneself

    @Test
    void aTaskJoiningItselfFailsFastNamingItselfAndCarriesOn() {
        record Outcome(Throwable join, Throwable joinWithTimeout, Throwable shield, String after) {
        }
        Outcome o = inTask(() -> new Outcome(
                catchThrowable(() -> Task.current().join()),
                catchThrowable(() -> Task.current().join(AN_HOUR)),
                catchThrowable(() -> Async.shield(Task.current())),
                "still running"));

        assertThat(o.after()).isEqualTo("still running");
        for (Throwable thrown : new Throwable[] {o.join(), o.joinWithTimeout(), o.shield()}) {
            assertThat(thrown).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task 'bad-user'")
                    .hasMessageContaining("cannot join itself");
            assertSaysWhatToDo(thrown, "another task", "onDone", "instead");
        }
    }

    // ------------------------------------------------------------------ closed loop

    @Test
    void spawningOnAClosedLoopIsRejectedNamingTheLoopAndTheTask() {
        loop.close();
        AtomicBoolean ran = new AtomicBoolean();

        Throwable thrown = catchThrowable(() -> loop.spawn("late", () -> ran.set(true)));

        assertThat(thrown).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("event loop 'misused'")
                .hasMessageContaining("closed")
                .hasMessageContaining("'late'");
        assertThat(ran).isFalse();
        assertSaysWhatToDo(thrown, "new loop", "another loop", "open loop", "before clos", "EventLoop.create", "builder");
    }

    // ------------------------------------------------------------------ negative durations

    static Stream<Arguments> negativeDurations() {
        return Stream.of(
                Arguments.of("sleep delay", (NegativeUse) test -> test.inTask(() -> catchThrowable(() -> Async.sleep(MINUS_ONE_SECOND)))),
                Arguments.of("callLater delay", (NegativeUse) test -> catchThrowable(() -> test.loop.callLater(MINUS_ONE_SECOND, () -> { }))),
                Arguments.of("timeout delay", (NegativeUse) test -> catchThrowable(() -> Timeout.after(MINUS_ONE_SECOND))),
                Arguments.of("join timeout", (NegativeUse) test -> {
                    Task<Void> sleeper = test.loop.spawn("sleeper", () -> Async.sleep(AN_HOUR));
                    return catchThrowable(() -> sleeper.join(MINUS_ONE_SECOND));
                }),
                Arguments.of("join timeout", (NegativeUse) test -> test.inTask(() -> {
                    Task<Void> sleeper = Async.spawn("sleeper", () -> Async.sleep(AN_HOUR));
                    return catchThrowable(() -> sleeper.join(MINUS_ONE_SECOND));
                })));
    }

    @FunctionalInterface
    interface NegativeUse {
        Throwable attempt(BadUseTest test);
    }

    @ParameterizedTest(name = "a negative {0} fails fast, naming the value and what to pass instead")
    @MethodSource("negativeDurations")
    void aNegativeDurationFailsFastNamingTheValueAndWhatToPassInstead(String what, NegativeUse use) {
        Throwable thrown = assertTimeoutPreemptively(BOUND, () -> use.attempt(this));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(what)
                .hasMessageContaining("must not be negative")
                .hasMessageContaining("PT-1S");
        assertSaysWhatToDo(thrown, "Duration.ZERO");
    }

    // ------------------------------------------------------------------ join from a callback

    @Test
    void joiningATaskFromALoopCallbackFailsFastInsteadOfBlockingTheLoop() throws InterruptedException {
        Task<Void> sleeper = loop.spawn("sleeper", () -> Async.sleep(AN_HOUR));
        AtomicReference<Throwable> join = new AtomicReference<>();
        AtomicReference<Throwable> joinWithTimeout = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);

        loop.callSoon(() -> {
            join.set(catchThrowable(sleeper::join));
            joinWithTimeout.set(catchThrowable(() -> sleeper.join(AN_HOUR)));
            done.countDown();
        });

        assertThat(done.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the callback returned").isTrue();
        for (Throwable thrown : new Throwable[] {join.get(), joinWithTimeout.get()}) {
            assertThat(thrown).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Task.join()")
                    .hasMessageContaining("callback of event loop 'misused'");
            assertSaysWhatToDo(thrown, "onDone(", "join from a task");
        }
        assertThat(sleeper.isDone()).as("the joined task is untouched").isFalse();
    }

    // ------------------------------------------------------------------ await points inside offload()

    static Stream<Arguments> awaitPointsInsideOffload() {
        return Stream.of(
                Arguments.of("Async.sleep()", (ThrowingCallable) () -> Async.sleep(AN_HOUR)),
                Arguments.of("Async.yieldNow()", (ThrowingCallable) Async::yieldNow),
                Arguments.of("Async.await()", (ThrowingCallable) () -> Async.await(new CompletableFuture<>())),
                Arguments.of("Async.offload()", (ThrowingCallable) () -> Async.offload(() -> Blocking.sleep(AN_HOUR))),
                Arguments.of("Task.join()", (ThrowingCallable) () -> Task.current().loop().spawn("other", () -> Async.sleep(AN_HOUR)).join()));
    }

    @ParameterizedTest(name = "{0} inside offload() work fails fast, saying offloaded work cannot await")
    @MethodSource("awaitPointsInsideOffload")
    void anAwaitPointInsideOffloadWorkFailsFastSayingOffloadedWorkCannotAwait(String call, ThrowingCallable awaitPoint) {
        Throwable thrown = inTask(() -> Async.offload(() -> catchThrowable(awaitPoint)));

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(call)
                .hasMessageContaining("offload()")
                .hasMessageContaining("task 'bad-user'")
                .hasMessageContaining("cannot await");
        assertSaysWhatToDo(thrown, "return from the work first");
    }

    // ------------------------------------------------------------------ cancel scopes

    @Test
    void enteringACancelScopeASecondTimeFailsFastSayingToCreateANewOne() {
        CancelScope scope = CancelScope.create();
        Throwable thrown = inTask(() -> {
            scope.run(() -> { });
            return catchThrowable(() -> scope.run(() -> { }));
        });

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cancel scope")
                .hasMessageContaining("already used");
        assertSaysWhatToDo(thrown, "create a new one");
    }

    @Test
    void enteringACancelScopeFromInsideItselfFailsFastSayingToCreateANewOne() {
        CancelScope scope = CancelScope.create();
        Throwable thrown = inTask(() -> scope.call(() -> catchThrowable(() -> scope.run(() -> { }))));

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cancel scope")
                .hasMessageContaining("already entered");
        assertSaysWhatToDo(thrown, "create a new one");
    }

    @Test
    void reusingATimeoutFailsFastLikeAnyScope() {
        Timeout timeout = Timeout.after(AN_HOUR);
        Throwable thrown = inTask(() -> {
            timeout.run(() -> { });
            return catchThrowable(() -> timeout.run(() -> { }));
        });

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("timeout")
                .hasMessageContaining("already used");
        assertSaysWhatToDo(thrown, "create a new one");
    }

    // ------------------------------------------------------------------ task groups

    @Test
    void runningATaskGroupASecondTimeFailsFastSayingToCreateANewOne() {
        TaskGroup group = TaskGroup.create("fetchers");
        Throwable thrown = inTask(() -> {
            group.run(() -> group.spawn("child", () -> { }));
            return catchThrowable(() -> group.run(() -> { }));
        });

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task group 'fetchers'")
                .hasMessageContaining("already run");
        assertSaysWhatToDo(thrown, "create a new TaskGroup");
    }

    @Test
    void spawningIntoATaskGroupThatHasFinishedFailsFastNamingTheGroup() {
        TaskGroup group = TaskGroup.create("fetchers");
        AtomicBoolean ran = new AtomicBoolean();
        Throwable thrown = inTask(() -> {
            group.run(() -> group.spawn("child", () -> { }));
            return catchThrowable(() -> group.spawn("late", () -> ran.set(true)));
        });

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task group 'fetchers'")
                .hasMessageContaining("finished");
        assertThat(ran).isFalse();
        assertSaysWhatToDo(thrown, "new TaskGroup", "new group", "loop.spawn", "Async.spawn", "while it runs", "inside run()");
    }

    @Test
    void spawningIntoATaskGroupThatIsAbortingAfterAFailureFailsFastNamingTheGroup() {
        TaskGroup group = TaskGroup.create("fetchers");
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Throwable groupFailure = inTask(() -> catchThrowable(() -> group.run(() -> {
            group.spawn("failing", () -> {
                throw new IllegalStateException("boom");
            });
            try {
                Async.sleep(AN_HOUR); // the child's failure aborts the group and cancels the body here
            } finally {
                thrown.set(catchThrowable(() -> group.spawn("late", () -> ran.set(true))));
            }
        })));

        assertThat(groupFailure).isInstanceOf(TaskGroupException.class).hasMessageContaining("boom");
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task group 'fetchers'")
                .hasMessageContaining("after a failure");
        assertThat(ran).isFalse();
    }

    @Test
    void spawningIntoATaskGroupBeforeItRunsFailsFastSayingWhereToSpawn() {
        TaskGroup group = TaskGroup.create("fetchers");
        Throwable thrown = inTask(() -> catchThrowable(() -> group.spawn("early", () -> { })));

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task group 'fetchers'")
                .hasMessageContaining("not running");
        assertSaysWhatToDo(thrown, "inside run() or call()");
    }
}
