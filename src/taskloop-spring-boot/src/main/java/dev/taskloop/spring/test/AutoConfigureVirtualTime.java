package dev.taskloop.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Runs the application's declared tasks in virtual time, in a Spring test: the application's loop is a
 * {@link dev.taskloop.core.testing.TestLoop} (a bean the test injects and drives with
 * {@code advanceTimeBy}, {@code runCurrent}, {@code advanceUntilIdle}), and cron schedules read a wall
 * clock that follows it, starting at {@code taskloop.virtual-time.start} (default
 * {@code 1970-01-01T00:00:00Z}).
 *
 * <pre>{@code
 * @SpringBootTest(properties = "taskloop.virtual-time.start=2026-03-01T00:00:00Z")
 * @AutoConfigureVirtualTime
 * class NightlyReportTest {
 *     @Autowired TestLoop time;
 *     @Autowired Reports reports;
 *
 *     @Test
 *     void runsOnceADay() {
 *         time.advanceTimeBy(Duration.ofDays(1));
 *         assertThat(reports.nightlyRuns()).isEqualTo(1);
 *     }
 * }
 * }</pre>
 *
 * <p>One loop: the first of {@code taskloop.loops} (any other named there stops the test's context with
 * a message saying so). Time stands still until the test moves it; every method that moves it waits until
 * the loop is quiescent. Pitfalls: a task that computes or blocks without reaching an await point never lets
 * the loop become quiescent (the test fails after {@code TestLoop.quiescenceTimeout}, with the stacks);
 * offloaded calls take real time; the Actuator health and the watchdog still work in wall time.
 *
 * <p>For a test that wants no declared task to run at all, {@code taskloop.enabled=false} turns Taskloop off.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureVirtualTime {
}
