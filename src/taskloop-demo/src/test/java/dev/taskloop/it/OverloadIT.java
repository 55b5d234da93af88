package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.taskloop.Polling;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.LongAccumulator;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Done-when 1 of the reliability issue, against the packaged demo as a real process: a bug spawns
 * 10,000 leaking tasks a second for 10 s (100,000 in all, each sleeping for a year). With
 * {@code taskloop.admission.max-tasks=20000} and {@code mode=shed} the loop admits 20,000 and sheds
 * the rest; liveness answers 200 over HTTP all along (readiness refuses traffic while the loop is
 * full), the heap after a full GC ({@code jcmd GC.run}) grows by less than the limit times a
 * per-task budget, the meters show the policy and what it did, and SIGTERM still ends the process
 * with 0, the 20,000 leaked tasks cancelled.
 */
class OverloadIT {

    private static final int MAX_TASKS = 20_000;
    private static final int PER_SECOND = 10_000;
    private static final int SECONDS = 10;
    /** Heap a leaked task may keep (its task object, virtual thread and parked stack): the bound is MAX_TASKS times this. */
    private static final long BYTES_PER_TASK = 8 * 1024;

    @Test
    void aBugSpawningTenThousandTasksASecondForTenSecondsLeavesLivenessUpTheHeapBoundedAndThePolicyInTheMeters() throws Exception {
        try (DemoProcess demo = DemoProcess.start(List.of("-Xmx512m"), "--taskloop.admission.max-tasks=" + MAX_TASKS,
                "--taskloop.admission.mode=shed", "--taskloop.shutdown.timeout=5s")) {
            demo.awaitReady(Duration.ofSeconds(60));
            long baseline = heapAfterFullGc(demo);

            HttpResponse<String> started = demo.post("/demo/runaway?perSecond=" + PER_SECOND + "&seconds=" + SECONDS);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            long t0 = System.nanoTime();
            // Sampled every 100 ms while the bug runs, every sample kept; at most SECONDS + 20 s.
            Map<Integer, Integer> liveness = new TreeMap<>();
            Map<Integer, Integer> readiness = new TreeMap<>();
            AtomicLong firstRefusedMs = new AtomicLong(-1);
            LongAccumulator maxActive = new LongAccumulator(Math::max, 0);
            DoubleAccumulator maxOverloaded = new DoubleAccumulator(Math::max, 0);
            java.util.Set<String> loopStatuses = new java.util.TreeSet<>();
            try {
                Polling.poll("the runaway ended", Duration.ofSeconds(SECONDS + 20), Duration.ofMillis(100)).until(() -> {
                    liveness.merge(demo.get("/actuator/health/liveness").statusCode(), 1, Integer::sum);
                    int ready = demo.get("/actuator/health/readiness").statusCode();
                    readiness.merge(ready, 1, Integer::sum);
                    if (ready == 503 && firstRefusedMs.get() < 0) {
                        firstRefusedMs.set((System.nanoTime() - t0) / 1_000_000);
                    }
                    maxActive.accumulate((int) metric(demo, "taskloop.tasks.active", "loop:main"));
                    maxOverloaded.accumulate(metric(demo, "taskloop.admission.overloaded", "loop:main"));
                    loopStatuses.add(JsonPath.read(demo.get("/actuator/health/taskloop").body(), "$.details.loops.main.status"));
                    return !JsonPath.<Boolean>read(demo.get("/demo/runaway").body(), "$.running");
                });
            } catch (ConditionTimeoutException stillRunning) {
                throw new AssertionError("the runaway ended: " + demo.get("/demo/runaway").body() + "; liveness " + liveness + ", readiness "
                        + readiness + ", loop status " + loopStatuses, stillRunning);
            }
            long runMs = (System.nanoTime() - t0) / 1_000_000;
            String progress = demo.get("/demo/runaway").body();
            long attempted = JsonPath.<Number>read(progress, "$.attempted").longValue();
            long admitted = JsonPath.<Number>read(progress, "$.admitted").longValue();
            double limit = metric(demo, "taskloop.admission.limit", "mode:shed");
            double shed = metric(demo, "taskloop.admission.spawns", "outcome:shed");
            double active = metric(demo, "taskloop.tasks.active", "loop:main");
            long full = heapAfterFullGc(demo);
            long retained = full - baseline;
            long bound = MAX_TASKS * BYTES_PER_TASK;
            System.out.printf("overload: %d spawns attempted in %d ms (10,000/s for 10 s), %d admitted (limit %d, mode shed), %.0f shed;"
                            + " liveness %s, readiness %s (first 503 after %d ms), loop status %s; taskloop.tasks.active at most %d;"
                            + " heap after full GC %.1f MB before, %.1f MB after: %.1f MB retained, %.0f bytes per leaked task"
                            + " (bound %.1f MB = %d x %d bytes)%n",
                    attempted, runMs, admitted, MAX_TASKS, shed, liveness, readiness, firstRefusedMs.get(), loopStatuses, maxActive.intValue(),
                    mb(baseline), mb(full), mb(retained), (double) retained / Math.max(1, admitted), mb(bound), MAX_TASKS, BYTES_PER_TASK);

            assertThat(JsonPath.<Boolean>read(progress, "$.running")).as("the runaway ended: %s", progress).isFalse();
            assertThat(attempted).as("spawns attempted at 10,000 a second for 10 s").isGreaterThanOrEqualTo(PER_SECOND * SECONDS * 98L / 100);
            assertThat(admitted).as("leaked tasks admitted").isPositive().isLessThanOrEqualTo(MAX_TASKS);
            assertThat(liveness).as("liveness over HTTP, status -> samples, while the bug ran").containsOnlyKeys(200);
            assertThat(readiness).as("readiness refused traffic while the loop was full").containsKey(503);
            assertThat(limit).as("taskloop.admission.limit{mode=shed}").isEqualTo(MAX_TASKS);
            assertThat(shed).as("taskloop.admission.spawns{outcome=shed}").isGreaterThanOrEqualTo(attempted - admitted);
            assertThat(active).as("taskloop.tasks.active").isLessThanOrEqualTo(MAX_TASKS);
            assertThat(maxActive.intValue()).as("taskloop.tasks.active, largest sample").isLessThanOrEqualTo(MAX_TASKS);
            assertThat(maxOverloaded.doubleValue()).as("taskloop.admission.overloaded while the loop was full").isEqualTo(1);
            assertThat(loopStatuses).as("the loop's status in /actuator/health/taskloop").contains("OVERLOADED");
            assertThat(retained).as("heap retained by %d leaked tasks after a full GC", admitted).isLessThan(bound);

            long stop = System.nanoTime();
            demo.sigterm();
            int status = demo.awaitExit(Duration.ofSeconds(60));
            System.out.printf("overload: SIGTERM with %d leaked tasks: exit %d after %d ms%n", admitted, status,
                    (System.nanoTime() - stop) / 1_000_000);
            assertThat(status).as("exit status; log:%n%s", demo.log()).isZero();
        }
    }

    /** One value of a meter from {@code /actuator/metrics}, narrowed by a {@code tag:value}. */
    private static double metric(DemoProcess demo, String name, String tag) throws IOException, InterruptedException {
        HttpResponse<String> r = demo.get("/actuator/metrics/" + name + "?tag=" + tag);
        assertThat(r.statusCode()).as("%s?tag=%s: %s", name, tag, r.body()).isEqualTo(200);
        return JsonPath.<Number>read(r.body(), "$.measurements[0].value").doubleValue();
    }

    /** Heap in use right after a full GC of the demo process ({@code jcmd <pid> GC.run}). */
    private static long heapAfterFullGc(DemoProcess demo) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(demo.pid()), "GC.run").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("jcmd GC.run: %s", out).isZero();
        return (long) metric(demo, "jvm.memory.used", "area:heap");
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
