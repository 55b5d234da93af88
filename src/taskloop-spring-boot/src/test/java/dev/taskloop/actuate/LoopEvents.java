package dev.taskloop.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.spi.LoopListener;
import dev.taskloop.core.spi.SlowStep;
import dev.taskloop.core.spi.TaskSnapshot;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What the Actuator tests wait for on a real loop, bounded: a task's end as the listeners hear of it, and a task holding the baton. */
public final class LoopEvents {

    private LoopEvents() {
    }

    /**
     * Runs {@code action} and waits until the loop has told its listeners (the endpoint's history and
     * the meters among them, added before this one) that a task named {@code name} ended. By then the
     * task's final state is visible to everyone (the endpoint answers for an ended task); its
     * {@code join()} and future complete a moment later.
     */
    public static void awaitEnded(EventLoop loop, String name, Runnable action) throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicLong id = new AtomicLong();
        LoopListener l = new LoopListener() {
            @Override
            public void taskEnded(TaskSnapshot task) {
                if (task.name().equals(name) && ended.getCount() > 0) {
                    id.set(task.id());
                    ended.countDown();
                }
            }
        };
        loop.addListener(l);
        try {
            action.run();
            assertThat(ended.await(10, TimeUnit.SECONDS)).as("task '%s' ended", name).isTrue();
        } finally {
            loop.removeListener(l);
        }
    }

    /**
     * Spawns a task named {@code name} that keeps the loop's baton, blocked on a latch, until the
     * returned hog is closed; returns once the watchdog has reported it twice (at the slow-step
     * threshold, then at twice that), so that it has held the baton at least twice that threshold.
     */
    public static Hog hog(EventLoop loop, String name) throws InterruptedException {
        CountDownLatch twoReports = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        LoopListener watch = new LoopListener() {
            @Override
            public void slowStep(SlowStep step) {
                if (step.ongoing() && step.taskName().equals(name)) {
                    twoReports.countDown();
                }
            }
        };
        loop.addListener(watch);
        Task<?> task = loop.spawn(name, () -> release.await());
        Hog hog = new Hog(task, release);
        if (!twoReports.await(10, TimeUnit.SECONDS)) {
            hog.close();
            throw new AssertionError("the watchdog did not report '" + name + "' twice within 10 s");
        }
        loop.removeListener(watch);
        return hog;
    }

    /** A task holding its loop's baton; closing it lets the task end. */
    public record Hog(Task<?> task, CountDownLatch release) implements AutoCloseable {
        @Override
        public void close() {
            release.countDown();
        }
    }
}
