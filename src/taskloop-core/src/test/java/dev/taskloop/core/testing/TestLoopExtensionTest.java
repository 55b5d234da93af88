package dev.taskloop.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelledException;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The extension closes what it created, so that the tests that use it leave no loop behind. */
class TestLoopExtensionTest {

    @Test
    void afterEachTestEveryLoopItCreatedIsClosedAndItsTasksCancelled() {
        TestLoopExtension loops = new TestLoopExtension();
        TestLoop plain = loops.create();
        TestLoop named = loops.create(EventLoop.builder().name("named"));
        // One waits for what never comes, one sleeps: close() cancels both before auto-jump could end the sleep.
        Task<Object> waiter = plain.loop().spawn("waiter", () -> Async.await(new CompletableFuture<>()));
        Task<Void> other = named.loop().spawn("other", () -> Async.sleep(Duration.ofHours(1)));
        plain.runCurrent();
        named.runCurrent();

        loops.afterEach(null); // what JUnit calls after the test; the context is not used

        assertThat(plain.loop().isClosed()).isTrue();
        assertThat(named.loop().isClosed()).isTrue();
        assertThat(named.loop().name()).isEqualTo("named");
        // Closing returns once the tasks have ended: join() has nothing to wait for.
        assertThatThrownBy(() -> waiter.join(Duration.ofSeconds(10))).isInstanceOf(CancelledException.class);
        assertThatThrownBy(() -> other.join(Duration.ofSeconds(10))).isInstanceOf(CancelledException.class);
    }
}
