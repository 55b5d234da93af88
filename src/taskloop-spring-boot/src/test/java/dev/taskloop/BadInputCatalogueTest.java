package dev.taskloop;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.taskloop.actuate.endpoint.ControlFieldsAdvisor;
import dev.taskloop.actuate.endpoint.TaskloopEndpoint;
import dev.taskloop.actuate.endpoint.TaskloopEndpointWebExtension;
import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopEndpointAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopHealthAutoConfiguration;
import dev.taskloop.autoconfigure.actuate.TaskloopMetricsAutoConfiguration;
import dev.taskloop.core.Admission;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.EventLoopGroup;
import dev.taskloop.core.ReturnWhen;
import dev.taskloop.core.Timeout;
import dev.taskloop.core.queue.Queue;
import dev.taskloop.core.sync.Semaphore;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.Overrun;
import dev.taskloop.spring.SupervisedGroup;
import dev.taskloop.spring.TaskContext;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.invoke.reflect.OperationMethod;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * The bad-input catalogue: every property, annotation attribute and endpoint parameter (and the core
 * API's value arguments) tried with a wrong value. Each row fails, and what the user is shown (for
 * startup failures, Spring Boot's "APPLICATION FAILED TO START" description and action, from the
 * failure analyzers; otherwise the exception's message or the endpoint's answer) names the input,
 * repeats the wrong value, and says what is allowed. The rows are exactly the table of docs/bad-input.md
 * (linked from the README's Reliability section, between the {@code bad-input} markers): {@link #theReadmeTableIsExactlyTheseRows}
 * fails, printing the table to paste, when they drift apart.
 */
class BadInputCatalogueTest {

    /**
     * One wrong input.
     *
     * @param input what is wrong, as the README names it
     * @param value the wrong value, as written
     * @param allowed what the message says is allowed (an excerpt of it)
     * @param names how the message names the input (compared ignoring case and dashes: relaxed binding)
     * @param shows how the message shows the value
     * @param probe runs it and returns what the user is shown
     */
    record Row(String input, String value, String allowed, String names, String shows, Probe probe) {
        @Override
        public String toString() {
            return input + " = " + value;
        }

        /** The row, showing the value as the message does ({@code 0ms} is shown as {@code PT0S}). */
        Row shows(String how) {
            return new Row(input, value, allowed, names, how, probe);
        }

        /** The row as the README's table shows it. */
        String markdown(int n) {
            return "| " + n + " | `" + cell(input) + "` | " + (value.isEmpty() ? "(empty)" : "`" + cell(value) + "`") + " | "
                    + cell(allowed) + " |";
        }

        private static String cell(String s) {
            return s.replace("|", "\\|").replace("\u0007", "\\u0007");
        }
    }

    /** Runs a row; returns the text the user is shown, or {@code null} if nothing failed. */
    interface Probe {
        String run() throws Exception;
    }

    /** A call of the core API. */
    interface Call {
        Object call() throws Exception;
    }

    // ------------------------------------------------------------------ rows

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        // Properties (Spring Boot's startup failure report)
        rows.add(property("taskloop.enabled", "maybe", "true or false"));
        rows.add(property("taskloop.loops", "", "must name at least one loop").shows("[]"));
        rows.add(property("taskloop.loops", "main,Bad_Name", "must be 1 to 63 lower-case letters, digits or dashes").shows("Bad_Name"));
        rows.add(property("taskloop.loops", "a,b,a", "loop names must be unique").shows("'a' appears twice"));
        rows.add(property("taskloop.loops", "l" + "o".repeat(63), "must be 1 to 63 lower-case letters, digits or dashes"));
        rows.add(property("taskloop.slow-step-threshold", "0ms", "must be a positive duration").shows("PT0S"));
        rows.add(property("taskloop.slow-step-threshold", "soon", "a duration such as 250ms, 5s, 2m or PT1M"));
        rows.add(property("taskloop.slow-step-threshold", "99999999999999999999d", "a duration such as 250ms, 5s, 2m or PT1M"));
        rows.add(property("taskloop.watchdog", "sometimes", "true or false"));
        rows.add(property("taskloop.measure", "2", "true or false"));
        rows.add(property("taskloop.backend", "fibers", "one of virtual-threads, loop-carrier"));
        rows.add(property("taskloop.report-interval", "-1s", "must be zero (every report in full) or a positive duration").shows("PT-1S"));
        rows.add(property("taskloop.shutdown.timeout", "-1s", "must be zero or a positive duration").shows("PT-1S"));
        rows.add(property("taskloop.shutdown.timeout", "30s", "must be shorter than spring.lifecycle.timeout-per-shutdown-phase")
                .shows("PT30S"));
        rows.add(property("taskloop.shutdown.drain-timeout", "-5s", "must be zero or a positive duration").shows("PT-5S"));
        rows.add(property("taskloop.shutdown.drain-timeout", "1h", "must be shorter than spring.lifecycle.timeout-per-shutdown-phase")
                .shows("PT1H"));
        rows.add(property("taskloop.shutdown.exit-zero-on-sigterm", "yes-please", "true or false"));
        rows.add(property("taskloop.keep-alive", "forever", "true or false"));
        rows.add(property("taskloop.health.stuck-threshold", "0s", "must be a positive duration").shows("PT0S"));
        rows.add(property("taskloop.health.stuck-threshold", "5 parsecs", "a duration such as 250ms, 5s, 2m or PT1M"));
        rows.add(property("taskloop.health.lag-threshold", "-5ms", "must be a positive duration").shows("PT-0.005S"));
        rows.add(property("taskloop.health.lag-window", "0ms", "must be a positive duration").shows("PT0S"));
        rows.add(property("taskloop.health.check-interval", "0ms", "must be a positive duration").shows("PT0S"));
        rows.add(property("taskloop.health.check-interval", "2s", "must not be longer than taskloop.health.stuck-threshold",
                "taskloop.health.stuck-threshold=1s", "taskloop.health.lag-window=1m").shows("PT2S"));
        rows.add(property("taskloop.health.lag-window", "900ms", "must be at least 4 times taskloop.health.check-interval").shows("PT0.9S"));
        rows.add(property("taskloop.health.availability", "perhaps", "true or false"));
        rows.add(property("taskloop.endpoint.history-size", "-1", "must be zero (no history) or more"));
        rows.add(property("taskloop.endpoint.history-size", "99999999999", "a whole number no larger than 2147483647"));
        rows.add(property("taskloop.endpoint.max-tasks", "0", "must be at least 1"));
        rows.add(property("taskloop.endpoint.max-tasks", "lots", "a whole number no larger than 2147483647"));
        rows.add(property("taskloop.admission.max-tasks", "0", "must be at least 1 live task per loop"));
        rows.add(property("taskloop.admission.max-tasks", "-5", "must be at least 1 live task per loop"));
        rows.add(property("taskloop.admission.max-tasks", "3000000000", "a whole number no larger than 2147483647"));
        rows.add(property("taskloop.admission.lag-slo", "-1ms", "must be zero (no lag SLO) or a positive duration").shows("PT-0.001S"));
        rows.add(property("taskloop.admission.lag-slo", "fast", "a duration such as 250ms, 5s, 2m or PT1M"));
        rows.add(property("taskloop.admission.mode", "drop", "one of wait, fail, shed"));
        rows.add(property("taskloop.leader.backend", "zookeeper", "one of auto, jdbc, kubernetes, none"));
        rows.add(property("taskloop.leader.lease-duration", "0s", "must be a positive duration").shows("PT0S"));
        rows.add(property("taskloop.leader.renew-deadline", "20s", "lengthen the lease duration or shorten the renew deadline")
                .shows("PT20S"));
        rows.add(property("taskloop.leader.retry-period", "often", "a duration such as 250ms, 5s, 2m or PT1M"));
        rows.add(property("taskloop.leader.jdbc.table-prefix", "INT-", "use letters, digits and underscores"));
        rows.add(property("taskloop.leader.kubernetes.lease-name-prefix", "Orders_", "use lower-case letters, digits, '-' and '.'"));
        rows.add(property("management.endpoint.taskloop.access", "everything", "one of none, read-only, unrestricted"));
        rows.add(property("management.health.taskloop.enabled", "maybe", "true or false"));

        // Annotation attributes (Spring Boot's startup failure report)
        rows.add(annotation("@BackgroundTask method", "private", PrivateMethod.class, "make it package-private, protected or public",
                "@BackgroundTask method PrivateMethod.work()", "is private"));
        rows.add(annotation("@BackgroundTask method", "static", StaticMethod.class, "make it an instance method",
                "@BackgroundTask method StaticMethod.work()", "is static"));
        rows.add(annotation("@BackgroundTask method parameters", "(String, int)", BadParameters.class,
                "declare no parameters, or a single TaskContext", "takes parameters", "(String, int)"));
        rows.add(annotation("@BackgroundTask(loop)", "gpu", UnknownLoop.class, "fix the name, or add the loop to taskloop.loops"));
        rows.add(annotation("@BackgroundTask(cron)", "every minute", MalformedCron.class, "use six fields, seconds first"));
        rows.add(annotation("@BackgroundTask(cron)", "0 0 * * *", FiveFieldCron.class, "use six fields, seconds first"));
        rows.add(annotation("@BackgroundTask(zone)", "Mars/Olympus", UnknownZone.class, "use a zone id such as 'UTC' or 'Europe/Paris'"));
        rows.add(annotation("@BackgroundTask(zone)", "UTC", ZoneWithoutCron.class, "remove zone, or add a cron expression"));
        rows.add(annotation("@BackgroundTask(fixedDelay)", "10 parsecs", MalformedDelay.class, "use a duration such as 500ms, 30s, 5m or PT1M"));
        rows.add(annotation("@BackgroundTask(fixedRate)", "0s", ZeroRate.class, "use a duration greater than zero"));
        rows.add(annotation("@BackgroundTask(fixedRate)", "${nowhere.rate}", MissingPlaceholder.class,
                "define the property, or give the placeholder a default"));
        rows.add(annotation("@BackgroundTask(fixedRate, cron)", "1s, 0 * * * * *", TwoSchedules.class,
                "choose one of fixedRate, fixedDelay and cron", "fixedRate", "sets fixedRate and cron"));
        rows.add(annotation("@BackgroundTask(initialDelay)", "5s", DelayWithoutRate.class,
                "remove initialDelay, or make the task periodic with fixedRate or fixedDelay"));
        rows.add(annotation("@BackgroundTask(initialDelay)", "-1s", NegativeInitialDelay.class, "use a duration of zero or more"));
        rows.add(annotation("@BackgroundTask(backoffInitial)", "-1s", NegativeBackoff.class, "use a duration of zero or more"));
        rows.add(annotation("@BackgroundTask(backoffMax)", "1s", MaxBelowInitial.class, "make backoffMax at least backoffInitial"));
        rows.add(annotation("@BackgroundTask(backoffMultiplier)", "0.5", SmallMultiplier.class, "use a finite factor of at least 1"));
        rows.add(annotation("@BackgroundTask(backoffMultiplier)", "Infinity", InfiniteMultiplier.class, "use a finite factor of at least 1"));
        rows.add(annotation("@BackgroundTask(backoffJitter)", "1.5", LargeJitter.class, "use a fraction between 0 and 1"));
        rows.add(annotation("@BackgroundTask(backoffJitter)", "-0.1", NegativeJitter.class, "use a fraction between 0 and 1"));
        rows.add(annotation("@BackgroundTask(maxRestarts)", "-1", NegativeRestarts.class, "use 0 (no restarts) or more"));
        rows.add(annotation("@BackgroundTask(restartWindow)", "0s", ZeroWindow.class, "use a duration greater than zero"));
        rows.add(annotation("@BackgroundTask(overrun)", "CATCH_UP", OverrunWithoutSchedule.class, "remove overrun, or add fixedRate or cron"));
        rows.add(annotation("@BackgroundTask(drainOnShutdown)", "true", DrainingPeriodic.class, "remove drainOnShutdown",
                "drainOnShutdown", "sets drainOnShutdown on a periodic task"));
        rows.add(annotation("@BackgroundTask(name)", "same", DuplicateName.class, "names must be unique in the application"));
        rows.add(annotation("@SupervisedGroup", "(no @BackgroundTask methods)", EmptyGroup.class,
                "annotate the group's task methods with @BackgroundTask, or remove @SupervisedGroup", "@SupervisedGroup",
                "has no @BackgroundTask methods"));
        rows.add(annotation("@SupervisedGroup(maxRestarts)", "-1", GroupNegativeRestarts.class, "use 0 (no restarts) or more"));
        rows.add(annotation("@SupervisedGroup(restartWindow)", "forever", GroupMalformedWindow.class,
                "use a duration such as 500ms, 30s, 5m or PT1M"));
        rows.add(annotation("@SupervisedGroup(loop)", "gpu", GroupUnknownLoop.class, "fix the name, or add the loop to taskloop.loops"));
        rows.add(annotation("@BackgroundTask(loop) in a @SupervisedGroup", "io", MemberOnOtherLoop.class,
                "remove the task's loop attribute, or set the loop on @SupervisedGroup", "names loop", "'io'"));
        rows.add(annotation("@BackgroundTask(singleton)", "Nightly_Report", BadElection.class,
                "use a name such as 'nightly-report', or '*' to name the election after the task"));
        rows.add(annotation("@BackgroundTask(singleton, awaitStarted)", "*, true", SingletonAwaitingStart.class,
                "remove awaitStarted, or singleton", "awaitStarted", "singleton '*'"));
        rows.add(annotation("@BackgroundTask(singleton) in a @SupervisedGroup", "*", SingletonMember.class,
                "remove singleton here, and set it on the @SupervisedGroup", "singleton", "'*'"));
        rows.add(annotation("@SupervisedGroup(singleton)", "Ingest Group", GroupBadElection.class,
                "use a name such as 'nightly-report', or '*' to name the election after the group"));
        rows.add(annotation("@BackgroundTask(shards)", "0", NoShards.class, "use a number of shards from 1 to 256"));
        rows.add(annotation("@BackgroundTask(shards)", "257", TooManyShards.class, "use a number of shards from 1 to 256"));
        rows.add(annotation("@BackgroundTask(shards)", "a dozen", WordyShards.class, "use a number of shards from 1 to 256"));
        rows.add(annotation("@BackgroundTask(shards, singleton)", "16, *", ShardedSingleton.class,
                "remove singleton to spread the task over the replicas, or shards to run it on one", "singleton", "shards = 16"));
        rows.add(annotation("@BackgroundTask(shards, awaitStarted)", "16, true", ShardsAwaitingStart.class, "remove awaitStarted, or shards",
                "awaitStarted", "shards = 16"));
        rows.add(annotation("@BackgroundTask(shards) in a @SupervisedGroup", "4", ShardedMember.class,
                "remove shards here, and set it on the @SupervisedGroup", "shards", "'4'"));
        rows.add(annotation("@BackgroundTask(name, shards)", "tenant-poller-for-every-tenant-of-every-region-of-every-continent-ever, 16", LongShardedName.class,
                "give the task such a name with the 'name' attribute", "shards", "'tenant-poller-for-every-tenant-of-every-region-of-every-continent-ever' (70 characters)"));
        rows.add(annotation("@SupervisedGroup(shards)", "-3", GroupNegativeShards.class, "use a number of shards from 1 to 256"));

        // Endpoint parameters (the operation's exception, HTTP 400; or its answer)
        rows.add(endpoint("GET /actuator/taskloop/{task}", "0", e -> e.task("0"), "ids start at 1", "Task id"));
        rows.add(endpoint("GET /actuator/taskloop/{task}", "99999999999999999999", e -> e.task("99999999999999999999"),
                "ids are positive 64-bit integers", "Task id"));
        rows.add(endpoint("GET /actuator/taskloop/{task}", " ", e -> e.task(" "), "must be a task id or a declared task name",
                "task selector").shows("blank"));
        rows.add(endpoint("GET /actuator/taskloop/{task}", "a\u0007b", e -> e.task("a\u0007b"), "use a task id or a declared task name",
                "task selector").shows("U+0007"));
        rows.add(endpoint("GET /actuator/taskloop/{task}", "x".repeat(257), e -> e.task("x".repeat(257)),
                "is at most 256 characters", "task selector").shows("this one has 257"));
        rows.add(endpoint("DELETE /actuator/taskloop/{task}", "0", e -> e.cancel("0", SecurityContext.NONE), "ids start at 1", "Task id"));
        rows.add(endpoint("DELETE /actuator/taskloop/{task}", "ghost", e -> e.cancel("ghost", SecurityContext.NONE),
                "use the id or declared name of a live task", "task"));
        rows.add(endpoint("DELETE /actuator/taskloop/{task}", "sleeper (ended)", e -> {
            e.cancel("sleeper", SecurityContext.NONE);
            awaitDone(e, "sleeper");
            return e.cancel("sleeper", SecurityContext.NONE);
        }, "is not running (CANCELLED); there is nothing to cancel", "task").shows("'sleeper'"));
        rows.add(endpoint("POST /actuator/taskloop/{task}", "{\"action\":\"explode\"}", e -> control(e, "explode", null, null, null),
                "the actions are pause, resume, trigger, reschedule and restart", "action").shows("'explode'"));
        rows.add(endpoint("POST /actuator/taskloop/{task}", "{}", e -> control(e, null, null, null, null),
                "send a JSON body such as {\"action\":\"pause\"}", "action").shows("names its action"));
        rows.add(endpoint("POST /actuator/taskloop/{task}", "{\"action\":\"reschedule\",\"fixedRat\":\"1s\"}", e -> fields(e, Map.of(
                "task", "sleeper", "action", "reschedule", "fixedRat", "1s")), "a control request takes action, and for reschedule fixedRate",
                "field").shows("'fixedRat'"));
        rows.add(endpoint("POST /actuator/taskloop/{task}", "{\"action\":\"pause\",\"cron\":\"0 * * * * *\"}",
                e -> control(e, "pause", null, null, "0 * * * * *"), "are for reschedule", "field").shows("cron"));
        rows.add(endpoint("POST /actuator/taskloop/{task}", "ghost", e -> control(e, "pause", "ghost", null, null),
                "use a declared task's name", "declared task").shows("'ghost'"));
        rows.add(endpoint("POST /actuator/taskloop/{task}", "{\"action\":\"trigger\"} (long-running)", e -> control(e, "trigger", null, null,
                null), "only a task with fixedRate, fixedDelay or cron can", "task 'sleeper'").shows("not periodic"));
        rows.add(endpoint("POST /actuator/taskloop/{task} reschedule", "{\"fixedDelay\":\"10 parsecs\"}",
                e -> control(e, "reschedule", null, "10 parsecs", null), "use a duration such as 500ms, 30s, 5m or PT1M", "fixedDelay")
                .shows("'10 parsecs'"));
        rows.add(endpoint("POST /actuator/taskloop/{task} reschedule", "{\"cron\":\"every minute\"}",
                e -> control(e, "reschedule", null, null, "every minute"), "use six fields, seconds first", "cron").shows("'every minute'"));
        rows.add(endpoint("POST /actuator/taskloop/{task} reschedule", "{}", e -> control(e, "reschedule", null, null, null),
                "give one of fixedRate, fixedDelay and cron", "schedule").shows("names no schedule"));
        rows.add(endpoint("POST /actuator/taskloop/{task} reschedule", "{\"fixedRate\":\"1s\",\"overrun\":\"LATER\"}",
                e -> e.control("sleeper", "reschedule", "1s", null, null, null, null, "LATER", SecurityContext.NONE), "use SKIP or CATCH_UP",
                "overrun").shows("'LATER'"));

        // The core API's value arguments (the exception's message)
        rows.add(api("new Admission(maxTasks, ...)", "0", () -> new Admission(0, Duration.ZERO, Admission.Mode.WAIT),
                "must be at least 1", "admission maxTasks"));
        rows.add(api("new Admission(..., lagSlo, ...)", "-1ms", () -> new Admission(1, Duration.ofMillis(-1), Admission.Mode.WAIT),
                "use Duration.ZERO for no lag SLO", "admission lagSlo").shows("PT-0.001S"));
        rows.add(api("EventLoop.builder().slowStepThreshold", "0s", () -> EventLoop.builder().slowStepThreshold(Duration.ZERO),
                "must be positive", "slowStepThreshold").shows("PT0S"));
        rows.add(api("EventLoop.builder().shutdownTimeout", "-1s", () -> EventLoop.builder().shutdownTimeout(Duration.ofSeconds(-1)),
                "must not be negative", "shutdownTimeout").shows("PT-1S"));
        rows.add(api("loop.callLater(delay, ...)", "-1s", () -> {
            try (EventLoop loop = EventLoop.create()) {
                return loop.callLater(Duration.ofSeconds(-1), () -> { });
            }
        }, "must not be negative", "delay").shows("PT-1S"));
        rows.add(api("Timeout.after", "-1s", () -> Timeout.after(Duration.ofSeconds(-1)), "must not be negative", "timeout")
                .shows("PT-1S"));
        rows.add(api("Queue.fifo(name, capacity)", "0", () -> Queue.fifo("jobs", 0), "needs a capacity of at least 1", "queue 'jobs'"));
        rows.add(api("new Semaphore(name, permits)", "-1", () -> new Semaphore("db", -1), "needs zero or more initial permits",
                "Semaphore 'db'"));
        rows.add(api("EventLoopGroup.create(name, size)", "0", () -> EventLoopGroup.create("workers", 0), "needs at least 1 loop",
                "event loop group 'workers'"));
        rows.add(api("Async.wait(tasks, returnWhen)", "(no tasks)", () -> Async.wait(List.of(), ReturnWhen.ALL_COMPLETED),
                "needs at least one task", "Async.wait()").shows("got none"));
        rows.add(api("Async.wait(tasks, returnWhen, timeout)", "-1s", () -> Async.wait(List.of(), ReturnWhen.ALL_COMPLETED,
                Duration.ofSeconds(-1)), "must not be negative", "Async.wait() timeout").shows("PT-1S"));
        rows.add(api("Async.asCompleted(tasks, timeout)", "-1s", () -> Async.asCompleted(List.of(), Duration.ofSeconds(-1)),
                "must not be negative", "Async.asCompleted() timeout").shows("PT-1S"));
        return rows;
    }

    static Stream<Row> catalogue() {
        return rows().stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("catalogue")
    void eachWrongInputFailsNamingTheInputTheValueAndWhatIsAllowed(Row row) throws Exception {
        String shown = row.probe().run();
        assertThat(shown).as("what the user is shown for %s", row).isNotNull();
        assertThat(relaxed(shown)).as("names the input as %s:%n%s", row.names(), shown).contains(relaxed(row.names()));
        assertThat(shown).as("shows the value:%n%s", shown).contains(row.shows());
        assertThat(shown).as("says what is allowed:%n%s", shown).contains(row.allowed());
    }

    @Test
    void theReadmeTableIsExactlyTheseRows() throws IOException {
        List<String> expected = new ArrayList<>();
        List<Row> rows = rows();
        for (int i = 0; i < rows.size(); i++) {
            expected.add(rows.get(i).markdown(i + 1));
        }
        List<String> readme = Files.readAllLines(Path.of(System.getProperty("taskloop.root", "../..")).resolve("docs/bad-input.md"), StandardCharsets.UTF_8);
        int begin = readme.indexOf("<!-- bad-input:begin -->");
        int end = readme.indexOf("<!-- bad-input:end -->");
        assertThat(begin).as("README marker <!-- bad-input:begin -->").isNotNegative();
        assertThat(end).as("README marker <!-- bad-input:end -->").isGreaterThan(begin);
        List<String> table = readme.subList(begin + 1, end).stream()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| #") && !l.startsWith("|--")).toList();
        if (!table.equals(expected)) {
            fail("The README's bad-input table and BadInputCatalogueTest's rows differ; the rows as a table:%n%s",
                    String.join(System.lineSeparator(), expected));
        }
        assertThat(rows).hasSizeGreaterThanOrEqualTo(40);
    }

    // ------------------------------------------------------------------ kinds of rows

    private static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class, TaskloopEndpointAutoConfiguration.class,
                    TaskloopHealthAutoConfiguration.class, TaskloopMetricsAutoConfiguration.class))
            .withPropertyValues("taskloop.shutdown.exit-zero-on-sigterm=false");

    private static Row property(String name, String value, String allowed, String... others) {
        List<String> props = new ArrayList<>(List.of(others));
        props.add(name + "=" + value);
        return new Row(name, value, allowed, name, value, () -> startupFailure(RUNNER.withPropertyValues(props.toArray(String[]::new)), props));
    }

    private static Row annotation(String input, String value, Class<?> bean, String allowed) {
        String attribute = input.substring(input.indexOf('(') + 1, input.indexOf(')'));
        return annotation(input, value, bean, allowed, attribute, value);
    }

    private static Row annotation(String input, String value, Class<?> bean, String allowed, String names, String shows) {
        ApplicationContextRunner runner = RUNNER.withBean("bean", bean);
        if (bean == DuplicateName.class) {
            runner = runner.withBean("other", DuplicateNameToo.class);
        }
        ApplicationContextRunner r = runner;
        return new Row(input, value, allowed, names, shows, () -> startupFailure(r, List.of()));
    }

    private static Row endpoint(String input, String value, Function<TaskloopEndpoint, Object> call, String allowed, String names) {
        return new Row(input, value, allowed, names, value, () -> {
            AtomicReference<String> shown = new AtomicReference<>();
            RUNNER.withBean(Sleeper.class).withPropertyValues("management.endpoints.web.exposure.include=taskloop").run(context -> {
                assertThat(context).hasNotFailed();
                TaskloopEndpoint endpoint = context.getBean(TaskloopEndpoint.class);
                context.getBean(EventLoop.class).spawn(() -> { }).join(); // the declared tasks have started
                try {
                    Object answer = call.apply(endpoint);
                    if (answer instanceof WebEndpointResponse<?> r) {
                        answer = r.getBody();
                    }
                    if (answer instanceof TaskloopEndpoint.CancelDescriptor d && d.outcome() != TaskloopEndpoint.CancelOutcome.CANCELLED) {
                        shown.set(d.outcome() + ": " + d.message());
                    }
                    if (answer instanceof TaskloopEndpoint.ControlDescriptor d && d.outcome() != TaskloopEndpoint.ControlOutcome.ACCEPTED) {
                        shown.set(d.outcome() + ": " + d.message());
                    }
                } catch (RuntimeException e) {
                    shown.set(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            });
            return shown.get();
        });
    }

    /** A control request on task {@code task} (default {@code sleeper}), as the endpoint's write operation receives it. */
    private static Object control(TaskloopEndpoint e, String action, String task, String fixedDelay, String cron) {
        return e.control(task == null ? "sleeper" : task, action, null, fixedDelay, cron, null, null, null, SecurityContext.NONE);
    }

    /** A control request with these arguments (body fields, query parameters), through the advisor Actuator applies to the operation. */
    private static Object fields(TaskloopEndpoint e, Map<String, Object> arguments) {
        try {
            Method control = TaskloopEndpointWebExtension.class.getMethod("control", String.class, String.class, String.class, String.class,
                    String.class, String.class, String.class, String.class, SecurityContext.class);
            return new ControlFieldsAdvisor(e).apply(EndpointId.of("taskloop"), OperationType.WRITE,
                    new OperationMethod(control, OperationType.WRITE).getParameters(), context -> {
                        throw new AssertionError("the operation must not be invoked");
                    }).invoke(new InvocationContext(SecurityContext.NONE, arguments));
        } catch (NoSuchMethodException ex) {
            throw new AssertionError(ex);
        }
    }

    private static Row api(String input, String value, Call call, String allowed, String names) {
        return new Row(input, value, allowed, names, value, () -> {
            try {
                call.call();
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
    }

    /**
     * What Spring Boot prints when the context fails to start: the first failure analysis (the
     * analyzers loaded and ordered as Spring Boot does, with the application's environment), or the causes.
     */
    private static String startupFailure(ApplicationContextRunner runner, List<String> properties) {
        AtomicReference<String> shown = new AtomicReference<>();
        runner.run(context -> {
            Throwable failure = context.getStartupFailure();
            if (failure == null) {
                return;
            }
            for (FailureAnalyzer analyzer : analyzers(properties)) {
                FailureAnalysis analysis = analyzer.analyze(failure);
                if (analysis != null) {
                    shown.set(analysis.getDescription() + System.lineSeparator() + "Action: " + analysis.getAction());
                    return;
                }
            }
            StringBuilder causes = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                causes.append(t).append(System.lineSeparator());
            }
            shown.set(causes.toString());
        });
        return shown.get();
    }

    private static List<FailureAnalyzer> analyzers(List<String> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (String p : properties) {
            map.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("test", map));
        return SpringFactoriesLoader.forDefaultResourceLocation(BadInputCatalogueTest.class.getClassLoader()).load(FailureAnalyzer.class,
                SpringFactoriesLoader.ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
                        .and(Environment.class, environment), SpringFactoriesLoader.FailureHandler.handleMessage((m, e) -> { }));
    }

    private static String relaxed(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "");
    }

    /** The cancelled task ends at its await point, on the loop's thread. */
    private static void awaitDone(TaskloopEndpoint e, String name) {
        Awaitility.await(name + " ended").atMost(Duration.ofSeconds(10)).until(() -> e.task(name).task() == null);
    }

    // ------------------------------------------------------------------ fixtures

    static class Sleeper {
        @BackgroundTask(name = "sleeper")
        void sleep() {
            Async.sleep(Duration.ofDays(1));
        }
    }

    static class PrivateMethod {
        @BackgroundTask
        private void work() {
        }
    }

    static class StaticMethod {
        @BackgroundTask
        static void work() {
        }
    }

    static class BadParameters {
        @BackgroundTask
        void work(String what, int n) {
        }
    }

    static class UnknownLoop {
        @BackgroundTask(loop = "gpu")
        void work() {
        }
    }

    static class MalformedCron {
        @BackgroundTask(cron = "every minute")
        void work() {
        }
    }

    static class FiveFieldCron {
        @BackgroundTask(cron = "0 0 * * *")
        void work() {
        }
    }

    static class UnknownZone {
        @BackgroundTask(cron = "0 0 * * * *", zone = "Mars/Olympus")
        void work() {
        }
    }

    static class ZoneWithoutCron {
        @BackgroundTask(zone = "UTC")
        void work() {
        }
    }

    static class MalformedDelay {
        @BackgroundTask(fixedDelay = "10 parsecs")
        void work() {
        }
    }

    static class ZeroRate {
        @BackgroundTask(fixedRate = "0s")
        void work() {
        }
    }

    static class MissingPlaceholder {
        @BackgroundTask(fixedRate = "${nowhere.rate}")
        void work() {
        }
    }

    static class TwoSchedules {
        @BackgroundTask(fixedRate = "1s", cron = "0 * * * * *")
        void work() {
        }
    }

    static class DelayWithoutRate {
        @BackgroundTask(initialDelay = "5s")
        void work() {
        }
    }

    static class NegativeInitialDelay {
        @BackgroundTask(fixedRate = "1s", initialDelay = "-1s")
        void work() {
        }
    }

    static class NegativeBackoff {
        @BackgroundTask(backoffInitial = "-1s")
        void work() {
        }
    }

    static class MaxBelowInitial {
        @BackgroundTask(backoffInitial = "10s", backoffMax = "1s")
        void work() {
        }
    }

    static class SmallMultiplier {
        @BackgroundTask(backoffMultiplier = 0.5)
        void work() {
        }
    }

    static class InfiniteMultiplier {
        @BackgroundTask(backoffMultiplier = Double.POSITIVE_INFINITY)
        void work() {
        }
    }

    static class LargeJitter {
        @BackgroundTask(backoffJitter = 1.5)
        void work() {
        }
    }

    static class NegativeJitter {
        @BackgroundTask(backoffJitter = -0.1)
        void work() {
        }
    }

    static class NegativeRestarts {
        @BackgroundTask(maxRestarts = -1)
        void work() {
        }
    }

    static class ZeroWindow {
        @BackgroundTask(restartWindow = "0s")
        void work() {
        }
    }

    static class OverrunWithoutSchedule {
        @BackgroundTask(overrun = Overrun.CATCH_UP)
        void work() {
        }
    }

    static class DrainingPeriodic {
        @BackgroundTask(fixedRate = "1s", drainOnShutdown = true)
        void work() {
        }
    }

    static class DuplicateName {
        @BackgroundTask(name = "same")
        void work() {
        }
    }

    static class DuplicateNameToo {
        @BackgroundTask(name = "same")
        void work(TaskContext ctx) {
        }
    }

    @SupervisedGroup
    static class EmptyGroup {
        void notATask() {
        }
    }

    @SupervisedGroup(maxRestarts = -1)
    static class GroupNegativeRestarts {
        @BackgroundTask
        void work() {
        }
    }

    @SupervisedGroup(restartWindow = "forever")
    static class GroupMalformedWindow {
        @BackgroundTask
        void work() {
        }
    }

    @SupervisedGroup(loop = "gpu")
    static class GroupUnknownLoop {
        @BackgroundTask
        void work() {
        }
    }

    @SupervisedGroup
    static class MemberOnOtherLoop {
        @BackgroundTask(loop = "io")
        void work() {
        }
    }


    static class BadElection {
        @BackgroundTask(singleton = "Nightly_Report")
        void work() {
        }
    }

    static class SingletonAwaitingStart {
        @BackgroundTask(singleton = "*", awaitStarted = true)
        void work() {
        }
    }

    @SupervisedGroup
    static class SingletonMember {
        @BackgroundTask(singleton = "*")
        void work() {
        }
    }

    @SupervisedGroup(singleton = "Ingest Group")
    static class GroupBadElection {
        @BackgroundTask
        void work() {
        }
    }

    static class NoShards {
        @BackgroundTask(name = "tenant-poller", shards = "0")
        void work() {
        }
    }

    static class TooManyShards {
        @BackgroundTask(name = "tenant-poller", shards = "257")
        void work() {
        }
    }

    static class WordyShards {
        @BackgroundTask(name = "tenant-poller", shards = "a dozen")
        void work() {
        }
    }

    static class ShardedSingleton {
        @BackgroundTask(name = "tenant-poller", shards = "16", singleton = "*")
        void work() {
        }
    }

    static class ShardsAwaitingStart {
        @BackgroundTask(name = "tenant-poller", shards = "16", awaitStarted = true)
        void work() {
        }
    }

    @SupervisedGroup(name = "ingest")
    static class ShardedMember {
        @BackgroundTask(shards = "4")
        void work() {
        }
    }

    static class LongShardedName {
        @BackgroundTask(name = "tenant-poller-for-every-tenant-of-every-region-of-every-continent-ever", shards = "16")
        void work() {
        }
    }

    @SupervisedGroup(name = "ingest", shards = "-3")
    static class GroupNegativeShards {
        @BackgroundTask
        void work() {
        }
    }
}
