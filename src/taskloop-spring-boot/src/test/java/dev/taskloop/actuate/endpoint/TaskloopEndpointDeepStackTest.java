package dev.taskloop.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.actuate.endpoint.TaskloopEndpoint.TaskDetailDescriptor;
import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopEndpointAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.Describe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A task deep in recursion is served with a bounded stack: the top frames, then how many were left out. */
class TaskloopEndpointDeepStackTest {

    private static final int DEPTH = 2_000;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class, TaskloopEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=taskloop", "taskloop.shutdown.exit-zero-on-sigterm=false",
                    "taskloop.slow-step-threshold=50ms", "taskloop.health.stuck-threshold=100ms", "taskloop.health.check-interval=50ms");

    private static int sleepDown(int n) {
        if (n == 0) {
            Async.sleep(Duration.ofDays(1));
            return 0;
        }
        return sleepDown(n - 1) + 1;
    }

    private static int blockDown(int n, CountDownLatch release) throws InterruptedException {
        if (n == 0) {
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue(); // keeps the baton: the holder under test
            return 0;
        }
        return blockDown(n - 1, release) + 1;
    }

    private static void assertBounded(List<String> stack, String top) {
        assertThat(stack).hasSize(Describe.MAX_STACK_FRAMES + 1);
        assertThat(stack.getFirst()).contains(top);
        assertThat(stack.getLast()).matches("\\.\\.\\. \\d+ more frames");
        int left = Integer.parseInt(stack.getLast().split(" ")[1]);
        // Thread.getStackTrace of a mounted thread stops at -XX:MaxJavaStackTraceDepth (1024 by default)
        assertThat(left).isGreaterThanOrEqualTo(Math.min(DEPTH, 1024) - Describe.MAX_STACK_FRAMES - 50);
        assertThat(stack.subList(0, Describe.MAX_STACK_FRAMES)).noneMatch(l -> l.contains("more frames"));
    }

    @Test
    void aTaskAsleepDeepInRecursionIsServedWithTheTopFramesAndTheCountLeftOut() {
        runner.run(context -> {
            EventLoop loop = context.getBean(EventLoop.class);
            Task<Integer> deep = loop.spawn("deep", () -> sleepDown(DEPTH));
            loop.spawn(() -> { }).join(); // the loop has turned: deep is parked at its sleep
            TaskDetailDescriptor d = context.getBean(TaskloopEndpoint.class).task(String.valueOf(deep.id()));
            assertThat(d).isNotNull();
            assertBounded(d.stack(), "java.base/");
            assertThat(d.stack()).anyMatch(l -> l.contains("TaskloopEndpointDeepStackTest.sleepDown"));
            deep.cancel("done");
        });
    }

    @Test
    void theBatonHolderDeepInRecursionIsListedWithABoundedStack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        runner.run(context -> {
            EventLoop loop = context.getBean(EventLoop.class);
            Task<Integer> deep = loop.spawn("deep", () -> {
                holding.countDown();
                return blockDown(DEPTH, release);
            });
            try {
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
                TaskloopEndpoint.LoopDescriptor main = null;
                for (int i = 0; i < 100_000 && (main == null || main.batonHolder() == null
                        || main.batonHolder().stack().stream().noneMatch(l -> l.contains("CountDownLatch.await"))); i++) {
                    main = context.getBean(TaskloopEndpoint.class).taskloop().loops().getFirst(); // until the recursion is down
                    Thread.onSpinWait();
                }
                assertThat(main.batonHolder().taskId()).isEqualTo(deep.id());
                assertBounded(main.batonHolder().stack(), "java.base/");
            } finally {
                release.countDown();
            }
            assertThat(deep.join()).isEqualTo(DEPTH);
        });
    }
}
