package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.Polling;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the demo's ingest is busy: the queue full, every worker mid-order. Intake stops
 * first, the workers drain the queue, and every order produced is consumed or handed back, exactly
 * once, checked by id in the demo's ledger; the phases show in the endpoint while they run; the
 * process exits with 0 inside its budget.
 */
class ShutdownUnderLoadIT {

    private static final Pattern PHASE = Pattern.compile("\"phase\":\"([A-Z_]+)\"");

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadLosesNoOrderAndShowsItsPhasesWhileTheyRun() throws Exception {
        Set<String> phases = runOnce(dir.resolve("ledger.txt"));
        assertThat(phases).as("phases seen in /actuator/taskloop after SIGTERM").contains("DRAIN");
    }

    /** Poison orders fail their workers now and then; the group restarts, even while it drains, and still nothing is lost. */
    @Test
    void withPoisonOrdersFailingWorkersSigtermUnderLoadLosesNoOrderEither() throws Exception {
        runOnce(dir.resolve("ledger-poison.txt"), "--demo.poison.enabled=true");
    }

    @RepeatedTest(20)
    @Tag("stress")
    void sigtermUnderLoadLosesNoOrderTwentyTimesOver(RepetitionInfo repetition) throws Exception {
        runOnce(dir.resolve("ledger.txt"), "--demo.poison.enabled=" + (repetition.getCurrentRepetition() % 2 == 0)); // every other one poisoned
    }

    private Set<String> runOnce(Path ledger, String... extra) throws Exception {
        Duration drain = Duration.ofSeconds(5);
        Duration cancel = Duration.ofSeconds(5);
        List<String> args = new java.util.ArrayList<>(List.of("--demo.ledger=" + ledger, "--demo.ingest.producer-delay-ms=1",
                "--demo.ingest.work-ms=100", "--taskloop.shutdown.drain-timeout=" + drain.toSeconds() + "s",
                "--taskloop.shutdown.timeout=" + cancel.toSeconds() + "s"));
        args.addAll(List.of(extra));
        try (DemoProcess demo = DemoProcess.start(args.toArray(String[]::new))) {
            demo.awaitReady(Duration.ofSeconds(60));
            // Another process is filling the ledger.
            Polling.poll("orders produced before SIGTERM", Duration.ofSeconds(20), Duration.ofMillis(50))
                    .until(() -> count(ledger, "produced") >= 200);
            assertThat(count(ledger, "produced")).as("orders produced before SIGTERM").isGreaterThanOrEqualTo(200);

            long t0 = System.nanoTime();
            demo.sigterm();
            // Every phase the endpoint shows, looking as often as it answers (no pause: a phase may last a moment), until
            // CANCEL or until the web server has stopped.
            Set<String> phases = new LinkedHashSet<>();
            try {
                Polling.poll("CANCEL in /actuator/taskloop or its web server stopped, after SIGTERM", Duration.ofSeconds(30), Duration.ZERO)
                        .until(() -> {
                            try {
                                HttpResponse<String> r = demo.get("/actuator/taskloop");
                                Matcher m = PHASE.matcher(r.body());
                                if (r.statusCode() == 200 && m.find()) {
                                    phases.add(m.group(1));
                                }
                            } catch (IOException gone) {
                                return true; // the web server has stopped
                            }
                            return phases.contains("CANCEL");
                        });
            } catch (ConditionTimeoutException stillServing) {
                throw new AssertionError("SIGTERM to exit: still serving without a CANCEL phase after 30 s (budget "
                        + (drain.plus(cancel).toMillis() + 10_000) + " ms), phases seen " + phases + "; log:\n" + demo.log(), stillServing);
            }
            int status = demo.awaitExit(Duration.ofSeconds(60));
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

            Map<String, Long> outcomes = assertNothingLost(ledger);
            System.out.printf("shutdown under load: SIGTERM to exit %d ms (budget %d ms), exit %d, phases seen %s, orders %s%n",
                    elapsedMs, drain.plus(cancel).toMillis() + 10_000, status, phases, outcomes);
            assertThat(status).as("exit status; log:\n%s", demo.log()).isZero();
            assertThat(elapsedMs).as("SIGTERM to exit").isLessThan(drain.plus(cancel).toMillis() + 10_000);
            return phases;
        }
    }

    private static long count(Path ledger, String event) throws IOException {
        if (!Files.exists(ledger)) {
            return 0;
        }
        return Files.readAllLines(ledger).stream().filter(l -> l.startsWith(event + " ")).count();
    }

    /** Checks the ledger; returns how many orders were produced, consumed and handed back. */
    private static Map<String, Long> assertNothingLost(Path ledger) throws IOException {
        List<String> lines = Files.readAllLines(ledger);
        Set<Long> produced = new HashSet<>();
        Map<Long, String> outcome = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            long id = Long.parseLong(parts[1]);
            if (parts[0].equals("produced")) {
                assertThat(produced.add(id)).as("order %d produced once", id).isTrue();
            } else {
                String previous = outcome.put(id, parts[0]);
                assertThat(previous).as("order %d ended twice: %s then %s", id, previous, parts[0]).isNull();
            }
        }
        assertThat(outcome.keySet()).as("every order ended has been produced").isSubsetOf(produced);
        Set<Long> lost = new HashSet<>(produced);
        lost.removeAll(outcome.keySet());
        assertThat(lost).as("orders neither consumed nor handed back").isEmpty();
        assertThat(outcome.values()).contains("consumed");
        Map<String, Long> counts = new java.util.TreeMap<>();
        counts.put("produced", (long) produced.size());
        outcome.values().forEach(o -> counts.merge(o, 1L, Long::sum));
        return counts;
    }
}
