package dev.taskloop.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.spi.Describe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A task deep in recursion that holds the baton: the watchdog's log line shows the top
 * {@link Describe#MAX_STACK_FRAMES} frames of its stack and the count of those left out, not
 * thousands of lines. Wall time: the watchdog is about wall time.
 */
class DeepStackReportTest {

    private static final int DEPTH = 2_000;

    private static int recurse(int n, CountDownLatch release) throws InterruptedException {
        if (n == 0) {
            assertThat(release.await(10, SECONDS)).isTrue(); // keeps the baton: the stuck step under test
            return 0;
        }
        return recurse(n - 1, release) + 1;
    }

    @Test
    void theWatchdogLogsTheTopFramesOfADeepStackAndHowManyItLeftOut() throws Exception {
        Logger log = Logger.getLogger("dev.taskloop.core.EventLoop");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("'deep'") && r.getMessage().contains("\n\tat ")) {
                    records.add(r);
                    reported.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        CountDownLatch release = new CountDownLatch(1);
        try (EventLoop loop = EventLoop.builder().name("deep-stack").slowStepThreshold(Duration.ofMillis(50)).build()) {
            Task<Integer> deep = loop.spawn("deep", () -> recurse(DEPTH, release));
            assertThat(reported.await(10, SECONDS)).as("the watchdog reports the stuck step").isTrue();
            release.countDown();
            assertThat(deep.join()).isEqualTo(DEPTH);
        } finally {
            log.removeHandler(h);
        }
        String message = records.getFirst().getMessage();
        String[] lines = message.split("\n");
        long frames = java.util.Arrays.stream(lines).filter(l -> l.startsWith("\tat ")).count();
        assertThat(frames).isEqualTo(Describe.MAX_STACK_FRAMES);
        Matcher m = Pattern.compile("^\t\\.\\.\\. (\\d+) more frames$").matcher(lines[lines.length - 1]);
        assertThat(m.matches()).as(lines[lines.length - 1]).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isGreaterThan(DEPTH - Describe.MAX_STACK_FRAMES);
        assertThat(java.util.Arrays.asList(lines).subList(1, 1 + Describe.MAX_STACK_FRAMES))
                .as("the top frames: where it is stuck").anyMatch(l -> l.contains("CountDownLatch.await")).noneMatch(l -> l.contains("more frames"));
    }

    @Test
    void describeStackKeepsAShortStackWholeAndBoundsALongOne() {
        StackTraceElement e = new StackTraceElement("a.B", "m", "B.java", 1);
        assertThat(Describe.stack(new StackTraceElement[] {e, e})).containsExactly("a.B.m(B.java:1)", "a.B.m(B.java:1)");
        StackTraceElement[] deep = new StackTraceElement[Describe.MAX_STACK_FRAMES + 7];
        java.util.Arrays.fill(deep, e);
        List<String> lines = Describe.stack(deep);
        assertThat(lines).hasSize(Describe.MAX_STACK_FRAMES + 1);
        assertThat(lines.getLast()).isEqualTo("... 7 more frames");
        assertThat(Describe.stack(java.util.Arrays.copyOf(deep, Describe.MAX_STACK_FRAMES))).hasSize(Describe.MAX_STACK_FRAMES);
    }
}
