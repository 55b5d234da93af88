package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.Polling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first minute with the demo, as a real {@code java -jar} process.
 *
 * <p>With default settings the log of the first 60 s (from the process's start, and at least 300
 * orders consumed) has no stack trace and shows every URL of the README's Set up table. The noise
 * the issue saw came from poison orders (every fiftieth order, one in four of those: a failure every
 * ~200 orders), the blocker and the watchdog's stacks of slow steps; 300 orders are more than one
 * poison period, and the blocker is checked every 0.5 s.
 *
 * <p>With {@code demo.poison.enabled=true} the first failure is logged with its stack and the later
 * ones are summarised: {@code taskloop.report-interval=20s} (instead of 1 min) so that the summary
 * comes within about 40 s.
 */
class FirstMinuteIT {

    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at [\\w.$/]+\\(.*\\).*$"); // logback may add " ~[jar:version]"

    private static long consumed(Path ledger) throws IOException {
        if (!Files.exists(ledger)) {
            return 0;
        }
        return Files.readAllLines(ledger, StandardCharsets.UTF_8).stream().filter(l -> l.contains("consumed")).count();
    }

    /** The URLs of the README's Set up table, on {@code port} instead of 8080. */
    private static List<String> setUpUrls(int port) throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("taskloop.root", "../..")).resolve("README.md"));
        String setUp = readme.substring(readme.indexOf("## Set up"), readme.indexOf("## Five-minute tour"));
        Matcher m = Pattern.compile("^\\| (http://127\\.0\\.0\\.1:8080/\\S+) \\|", Pattern.MULTILINE).matcher(setUp);
        List<String> urls = m.results().map(r -> r.group(1).replace(":8080/", ":" + port + "/")).toList();
        assertThat(urls).as("the Set up table's URLs").hasSizeGreaterThanOrEqualTo(5);
        return urls;
    }

    @Test
    void withDefaultSettingsTheLogHasNoStackTraceAndSaysWhereToLook(@TempDir Path dir) throws Exception {
        Path ledger = dir.resolve("ledger.txt");
        long started = System.nanoTime();
        try (DemoProcess demo = DemoProcess.start("--demo.ledger=" + ledger)) {
            demo.awaitReady(Duration.ofSeconds(90));
            Polling.poll("60 s since the start and 300 orders consumed", Duration.ofSeconds(120), Duration.ofMillis(200)).until(() ->
                    System.nanoTime() - started >= Duration.ofSeconds(60).toNanos() && consumed(ledger) >= 300);

            List<String> log = demo.output();
            // A cold JVM's first run of a task can be a real slow step (class loading, Micrometer starting:
            // 101 and 256 ms seen on a loaded machine): the watchdog logs a step shorter than 1 s as one line, no stack.
            assertThat(log).as("stack frames in the log with default settings:%n%s", demo.log()).noneMatch(l -> STACK_FRAME.matcher(l).matches());
            assertThat(log).as("no exception in the log").noneMatch(l -> l.contains("Exception"));
            for (String url : setUpUrls(demo.port())) {
                assertThat(log).as("the ready block names %s", url).anyMatch(l -> l.contains(url + " ") || l.endsWith(url));
            }
        }
    }

    @Test
    void withPoisonOrdersTheFirstFailureHasItsStackAndTheLaterOnesAreSummarised(@TempDir Path dir) throws Exception {
        try (DemoProcess demo = DemoProcess.start("--demo.poison.enabled=true", "--taskloop.report-interval=20s")) {
            demo.awaitReady(Duration.ofSeconds(90));
            assertThat(demo.awaitLine("more failure(s) and restart(s) in the last", Duration.ofSeconds(120)))
                    .as("a summary line of the later failures:%n%s", demo.log()).isTrue();

            List<String> log = demo.output();
            int summary = indexOf(log, "more failure(s) and restart(s) in the last");
            List<String> before = log.subList(0, summary);
            List<String> failures = before.stream().filter(l -> l.contains("failed (attempt")).toList();
            assertThat(failures).as("failures logged in full before the summary").hasSize(1);
            int first = indexOf(log, "failed (attempt");
            assertThat(log.subList(first + 1, summary)).as("the first failure's stack").anyMatch(l -> STACK_FRAME.matcher(l).matches());
            assertThat(log.get(summary)).containsPattern("Task '\\w+': \\d+ more failure\\(s\\) and restart\\(s\\) in the last \\d+ s");
        }
    }

    private static int indexOf(List<String> log, String text) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line containing '" + text + "'");
    }
}
