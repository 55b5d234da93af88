package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A task that fails again and again: its first failure is logged with its stack, the next ones
 * within {@code taskloop.report-interval} are counted into one summary line per interval (in the
 * loop's time, here virtual), while the task's last failure, with its stack, stays available.
 */
class RepeatedFailureLogTest {

    private final TestLoop test = TestLoop.create();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger supervision = (Logger) LoggerFactory.getLogger(TaskSupervision.class);

    @BeforeEach
    void capture() {
        appender.start();
        supervision.addAppender(appender);
    }

    @AfterEach
    void close() {
        supervision.detachAppender(appender);
        test.close();
    }

    private SupervisedTask failingEverySecond(Duration reportInterval, int attempts) {
        Supervisor.Environment env = new Supervisor.Environment(test.ticker().clock(Instant.parse("2026-01-01T00:00:00Z")),
                RandomGenerator.of("L64X128MixRandom"), null, () -> false, reportInterval);
        TaskSpec spec = TaskSpec.builder("flaky").restart(Restart.ON_FAILURE)
                .backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 0))
                .intensity(new RestartIntensity(1000, Duration.ofHours(1))).schedule(new Schedule.Continuous())
                .body(ctx -> {
                    if (ctx.attempt() <= attempts) {
                        throw new IllegalStateException("poison " + ctx.attempt());
                    }
                }).build();
        return Supervisor.start(test.loop(), spec, env);
    }

    private List<ILoggingEvent> warnings() {
        return appender.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).toList();
    }

    @Test
    void theFirstFailureHasItsStackAndTheNextOnesAreSummarisedOncePerInterval() {
        // 150 failures, one a second (the back-off): 150 s, so two full 60 s intervals and a part
        SupervisedTask st = failingEverySecond(Duration.ofMinutes(1), 150);
        test.advanceUntilIdle();

        List<ILoggingEvent> warnings = warnings();
        List<ILoggingEvent> withStack = warnings.stream().filter(e -> e.getThrowableProxy() != null).toList();
        assertThat(withStack).as("failures logged with their stack").hasSize(1);
        assertThat(withStack.getFirst().getFormattedMessage()).isEqualTo("Task 'flaky' failed (attempt 1): java.lang.IllegalStateException: poison 1");
        List<String> summaries = warnings.stream().filter(e -> e.getThrowableProxy() == null).map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(summaries).as("one summary line per full interval of failures").hasSize(2)
                .allSatisfy(s -> assertThat(s).startsWith("Task 'flaky': ").contains(" more failure(s) and restart(s) in the last 60 s",
                        "the last failure with its stack is in the taskloop endpoint"));
        assertThat(summaries.getFirst()).contains(": 60 more failure(s)").endsWith("latest: Task 'flaky' failed (attempt 61): java.lang.IllegalStateException: poison 61");
        assertThat(appender.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO)
                .map(ILoggingEvent::getFormattedMessage)).as("restart lines at INFO: the first, and one after each summary")
                .hasSize(3).allSatisfy(s -> assertThat(s).startsWith("Restarting task 'flaky' in 1000 ms"));
        assertThat(st.lastFailure()).as("the endpoint's lastFailure: the latest one, stack and all").hasMessage("poison 150");
        assertThat(st.lastFailure().getStackTrace()).isNotEmpty();
    }

    @Test
    void aZeroIntervalLogsEveryFailureWithItsStack() {
        failingEverySecond(Duration.ZERO, 5);
        test.advanceUntilIdle();
        assertThat(warnings()).hasSize(5).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNotNull());
    }
}
