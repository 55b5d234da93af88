package dev.taskloop.soak;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.Task;
import dev.taskloop.core.TimeoutExpiredException;
import dev.taskloop.core.testing.Blocking;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Strategy;
import dev.taskloop.spring.SupervisedGroup;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Done-when 3 of the reliability issue: a fault soak of a real Spring Boot application (embedded
 * web server, Actuator, real HTTP) in a JVM of its own (surefire execution {@code soak}). While the
 * chaos is on, declared tasks throw at random, time out and restart; a supervised ONE_FOR_ALL group
 * restarts together; a spawner runs rounds of ad-hoc jobs that fail, time out, offload blocking
 * calls, or are cancelled by an operator through {@code DELETE /actuator/taskloop/{id}}; a declared
 * task is stopped by the operator by name; another blocks the loop on purpose for longer than the
 * stuck threshold; one task fails past its restart limit and is given up on.
 *
 * <p>Checked: every restart of the standalone tasks is counted (supervisor, meter and the tasks' own
 * count agree exactly), nothing exceeds its intensity limit but the one meant to, health is UP and
 * liveness 200 on every sample except while the loop is blocked on purpose (and those moments are
 * seen), and once the chaos stops: no task and no virtual thread is left over (counted in a JSON
 * thread dump) and the heap after a full GC is back within 10 % of its baseline.
 *
 * <p>The short form (20 s) runs in every build; the long form is {@code @Tag("soak")}:
 * {@code ./mvnw -B test-compile surefire:test@soak -Dtaskloop.excludedGroups= -Dtest=FaultSoakTest#aLong* -Dtaskloop.soak.duration=PT5M}
 * (the soak execution alone: {@code -Dtest} given to a whole build picks the test in every Surefire execution,
 * the security one included, where Spring Security locks the endpoint).
 */
class FaultSoakTest {

    private static final Duration STUCK_THRESHOLD = Duration.ofMillis(300);
    private static final Duration BLOCK = Duration.ofMillis(700);
    private static final Duration BLOCK_EVERY = Duration.ofMillis(2500);

    @TempDir
    Path dir;

    @Test
    void aTwentySecondSoakOfFailuresTimeoutsOperatorCancelsAndABlockedLoopLeavesNoLeakAndCountsEveryRestart() throws Exception {
        soak(Duration.ofSeconds(20));
    }

    @Test
    @Tag("soak")
    void aLongSoakLeavesNoLeakAndCountsEveryRestart() throws Exception {
        soak(Duration.parse(System.getProperty("taskloop.soak.duration", "PT5M")));
    }

    // ------------------------------------------------------------------ the application

    /** The switch the faults obey, and what the tasks counted of themselves. */
    static final class Chaos {
        final AtomicBoolean on = new AtomicBoolean();
        final Map<String, AtomicLong> thrown = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicLong timeoutsHandled = new AtomicLong();
        final AtomicLong jobs = new AtomicLong();
        final Map<String, AtomicLong> jobOutcomes = new java.util.concurrent.ConcurrentHashMap<>();
        /** Jobs that ended cancelled, by id, with their cancel reason. */
        final Map<Long, String> jobsCancelled = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicBoolean spawnerIdle = new AtomicBoolean(true);
        final AtomicBoolean blocking = new AtomicBoolean();
        /** Wall-clock windows (nanoTime) during which the blocker held the loop on purpose: {start, end}. */
        final List<long[]> blocks = new CopyOnWriteArrayList<>();

        boolean on() {
            return on.get();
        }

        void threw(String task) {
            thrown.computeIfAbsent(task, k -> new AtomicLong()).incrementAndGet();
        }

        long thrown(String task) {
            AtomicLong n = thrown.get(task);
            return n == null ? 0 : n.get();
        }

        static boolean chance(double p) {
            return ThreadLocalRandom.current().nextDouble() < p;
        }

        static Duration millis(int from, int to) {
            return Duration.ofMillis(ThreadLocalRandom.current().nextInt(from, to));
        }
    }

    /** Declared tasks that fail at random, alone. */
    static class Flaky {
        private final Chaos chaos;

        Flaky(Chaos chaos) {
            this.chaos = chaos;
        }

        private void flaky(String name, double p) {
            while (true) {
                Async.sleep(Chaos.millis(20, 100));
                if (chaos.on() && Chaos.chance(p)) {
                    chaos.threw(name);
                    throw new IllegalStateException(name + " failed on purpose");
                }
            }
        }

        @BackgroundTask(name = "flaky-1", backoffInitial = "5ms", backoffMax = "20ms", maxRestarts = 1000, restartWindow = "1m")
        void flaky1() {
            flaky("flaky-1", 0.1);
        }

        @BackgroundTask(name = "flaky-2", backoffInitial = "5ms", backoffMax = "20ms", maxRestarts = 1000, restartWindow = "1m")
        void flaky2() {
            flaky("flaky-2", 0.05);
        }

        /** Times out all the time, handles most of it; now and then lets a timeout fail it. */
        @BackgroundTask(name = "timer", backoffInitial = "5ms", backoffMax = "20ms", maxRestarts = 1000, restartWindow = "1m")
        void timer() {
            while (true) {
                try {
                    Async.withTimeout(Duration.ofMillis(30), () -> {
                        Async.sleep(Chaos.millis(1, 60));
                        return null;
                    });
                } catch (TimeoutExpiredException e) {
                    chaos.timeoutsHandled.incrementAndGet();
                    if (chaos.on() && Chaos.chance(0.1)) {
                        chaos.threw("timer");
                        throw e;
                    }
                }
            }
        }

        /** Fails past its restart limit at once: given up on after exactly 3 restarts. */
        @BackgroundTask(name = "doomed", backoffInitial = "5ms", backoffMax = "5ms", maxRestarts = 3, restartWindow = "1m")
        void doomed() {
            chaos.threw("doomed");
            throw new IllegalStateException("doomed on purpose");
        }

        /** Stopped by the operator by name during the soak: not restarted. */
        @BackgroundTask(name = "victim", restart = Restart.ALWAYS)
        void victim() {
            Async.sleep(Duration.ofDays(1));
        }

        /** Holds the loop with a blocking sleep (Blocking.sleep, a plain Thread.sleep), past the stuck threshold, every few seconds. */
        @BackgroundTask(name = "blocker")
        void blocker() throws InterruptedException {
            while (true) {
                Async.sleep(BLOCK_EVERY);
                if (chaos.on()) {
                    long[] window = {System.nanoTime(), Long.MAX_VALUE};
                    chaos.blocks.add(window);
                    chaos.blocking.set(true);
                    try {
                        Blocking.sleep(BLOCK); // on purpose: keeps the baton
                    } finally {
                        window[1] = System.nanoTime();
                        chaos.blocking.set(false);
                    }
                }
            }
        }

        /** Rounds of ad-hoc jobs, every one of which is joined and accounted for. */
        @BackgroundTask(name = "spawner", restart = Restart.ALWAYS, backoffInitial = "5ms", backoffMax = "5ms")
        void spawner() {
            while (true) {
                if (!chaos.on()) {
                    chaos.spawnerIdle.set(true);
                    Async.sleep(Duration.ofMillis(20));
                    continue;
                }
                chaos.spawnerIdle.set(false);
                List<Task<Void>> round = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    round.add(Async.spawn("job", this::job));
                }
                for (Task<Void> t : Async.gatherSettled(round)) {
                    chaos.jobs.incrementAndGet();
                    String outcome = t.state().name();
                    if (t.state() == Task.State.FAILED) {
                        outcome += " " + t.exception().getClass().getSimpleName();
                    }
                    chaos.jobOutcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
                    if (t.state() == Task.State.CANCELLED) {
                        chaos.jobsCancelled.put(t.id(), String.valueOf(t.snapshot().cancelReason()));
                    }
                }
            }
        }

        private void job() throws InterruptedException {
            int kind = ThreadLocalRandom.current().nextInt(10);
            if (kind < 2) {
                Async.sleep(Chaos.millis(10, 200));
                throw new IllegalStateException("job failed on purpose");
            } else if (kind < 4) {
                Async.withTimeout(Chaos.millis(5, 30), () -> {
                    Async.sleep(Duration.ofMillis(50));
                    return null;
                });
            } else if (kind < 5) {
                Async.offload(() -> Blocking.sleep(Chaos.millis(5, 30))); // blocking, off the loop
            } else {
                Async.sleep(Chaos.millis(50, 400));
            }
        }
    }

    /** A supervised group whose stages fail at random and restart together. */
    @SupervisedGroup(name = "pipeline", strategy = Strategy.ONE_FOR_ALL, maxRestarts = 1000, restartWindow = "1m")
    static class Pipeline {
        private final Chaos chaos;

        Pipeline(Chaos chaos) {
            this.chaos = chaos;
        }

        private void stage(String name) {
            while (true) {
                Async.sleep(Chaos.millis(20, 100));
                if (chaos.on() && Chaos.chance(0.05)) {
                    chaos.threw(name);
                    throw new IllegalStateException(name + " failed on purpose");
                }
            }
        }

        @BackgroundTask(name = "stage-a", backoffInitial = "5ms", backoffMax = "20ms")
        void stageA() {
            stage("stage-a");
        }

        @BackgroundTask(name = "stage-b", backoffInitial = "5ms", backoffMax = "20ms")
        void stageB() {
            stage("stage-b");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class SoakApplication {
        @Bean
        Chaos chaos() {
            return new Chaos();
        }

        @Bean
        Flaky flaky(Chaos chaos) {
            return new Flaky(chaos);
        }

        @Bean
        Pipeline pipeline(Chaos chaos) {
            return new Pipeline(chaos);
        }
    }

    private static final String[] STANDALONE = {"flaky-1", "flaky-2", "timer"};

    // ------------------------------------------------------------------ the soak

    private void soak(Duration length) throws Exception {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("server.port", "0");
        props.put("server.address", "127.0.0.1");
        props.put("spring.main.banner-mode", "off");
        props.put("management.endpoints.web.exposure.include", "health,taskloop");
        props.put("management.endpoint.taskloop.access", "unrestricted");
        props.put("management.endpoint.health.probes.enabled", "true");
        props.put("management.endpoint.health.show-details", "always");
        props.put("taskloop.health.stuck-threshold", STUCK_THRESHOLD.toMillis() + "ms");
        props.put("taskloop.health.check-interval", "100ms");
        props.put("taskloop.health.lag-threshold", "5s"); // this soak is about faults, not saturation
        props.put("taskloop.shutdown.exit-zero-on-sigterm", "false");
        props.put("logging.level.dev.taskloop", "ERROR"); // thousands of failures on purpose: their stack traces would drown the build log
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SoakApplication.class).properties(props).run()) {
            Soak soak = new Soak(context);
            soak.run(length);
        }
    }

    /** One soak: warm up, measure the baseline, run the chaos, stop it, measure again, check. */
    private final class Soak {
        private final ConfigurableApplicationContext context;
        private final Chaos chaos;
        private final EventLoop loop;
        private final DeclaredTaskRegistry declared;
        private final MeterRegistry meters;
        private final int port;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final Map<String, Integer> operatorCalls = new TreeMap<>();
        /** The jobs the operator's DELETE was accepted for (204). */
        private final java.util.Set<Long> accepted = new java.util.HashSet<>();
        private final List<Sample> samples = new ArrayList<>();

        Soak(ConfigurableApplicationContext context) {
            this.context = context;
            this.chaos = context.getBean(Chaos.class);
            this.loop = context.getBean(EventLoop.class);
            this.declared = context.getBean(DeclaredTaskRegistry.class);
            this.meters = context.getBean(MeterRegistry.class);
            this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        }

        void run(Duration length) throws Exception {
            // Warm up with the chaos on for a while (classes loaded, histories and pools filled), then settle.
            await("the doomed task is given up on", Duration.ofSeconds(20), () -> status("doomed") == DeclaredTask.Status.FAILED);
            chaos.on.set(true);
            long warm = System.nanoTime();
            every(Duration.ofMillis(50), "the warm-up", Duration.ofSeconds(3), () -> {
                operate();
                return System.nanoTime() - warm >= Duration.ofSeconds(3).toNanos();
            });
            chaos.on.set(false);
            settle();
            // The warm-up's jobs have all ended (settled), so its records can go: both heap figures leave them out.
            accepted.clear();
            chaos.jobsCancelled.clear();
            Figures before = measure();

            chaos.on.set(true);
            long start = System.nanoTime();
            long victimStopAt = start + length.toNanos() / 2;
            AtomicBoolean victimStopped = new AtomicBoolean();
            // The operator and the probes, against the server over HTTP, every 50 ms.
            every(Duration.ofMillis(50), "the soak", length, () -> {
                samples.add(sample());
                operate();
                if (!victimStopped.get() && System.nanoTime() > victimStopAt) {
                    assertThat(http("DELETE", "/actuator/taskloop/victim").statusCode()).as("operator stops 'victim' by name").isEqualTo(204);
                    victimStopped.set(true);
                }
                return System.nanoTime() - start >= length.toNanos();
            });
            chaos.on.set(false);
            long soakMs = (System.nanoTime() - start) / 1_000_000;
            settle();
            // What the checks need from this test's own records, taken before the heap is measured: the
            // records grow with the soak's length, and the heap check is about what the application keeps.
            List<long[]> blocks = List.copyOf(chaos.blocks);
            int sampleCount = samples.size();
            List<Sample> unhealthy = samples.stream().filter(s -> !s.healthy()).toList();
            int acceptedCount = accepted.size();
            int cancelledCount = chaos.jobsCancelled.size();
            List<Long> cancelledNotAccepted = chaos.jobsCancelled.keySet().stream().filter(id -> !accepted.contains(id)).toList();
            java.util.Set<String> cancelReasons = new java.util.HashSet<>(chaos.jobsCancelled.values());
            samples.clear();
            accepted.clear();
            chaos.jobsCancelled.clear();
            Figures after = measure();

            Map<String, Integer> restarts = new TreeMap<>();
            Map<String, Double> restartMeters = new TreeMap<>();
            for (DeclaredTask st : declared.all()) {
                restarts.put(st.name(), st.restarts());
                restartMeters.put(st.name(), meters.get("taskloop.task.restarts").tag("task", st.name()).functionCounter().count());
            }
            Map<String, Long> thrown = new TreeMap<>();
            chaos.thrown.forEach((k, v) -> thrown.put(k, v.get()));
            List<Sample> unexplained = unhealthy.stream().filter(s -> !duringBlock(s, blocks)).toList();
            System.out.printf("soak: %d s of chaos; restarts %s (thrown %s); %d jobs %s, %d ended cancelled by the operator (DELETE %s; the other accepted ones had already been woken);"
                            + " %d timeouts handled; %d blocks of %d ms; %d health samples, %d not UP (all while blocked: %s);"
                            + " live tasks %d -> %d, virtual threads %d -> %d, heap after full GC %.1f -> %.1f MB (%+.1f %%)%n",
                    soakMs / 1000, restarts, thrown, chaos.jobs.get(), outcomes(), cancelledCount, operatorCalls,
                    chaos.timeoutsHandled.get(), blocks.size(), BLOCK.toMillis(), sampleCount, unhealthy.size(), unexplained.isEmpty(),
                    before.tasks, after.tasks, before.virtualThreads, after.virtualThreads, mb(before.heap), mb(after.heap),
                    100.0 * (after.heap - before.heap) / before.heap);

            // Restarts: counted, equal to the failures the tasks saw, within their limits.
            for (String name : STANDALONE) {
                assertThat(thrown.getOrDefault(name, 0L)).as("failures of %s", name).isPositive();
                assertThat(restarts.get(name)).as("restarts of %s = its failures", name).isEqualTo(thrown.get(name).intValue());
                assertThat(status(name)).as(name).isEqualTo(DeclaredTask.Status.RUNNING);
            }
            int pipelineRestarts = restarts.get("stage-a") + restarts.get("stage-b");
            assertThat(pipelineRestarts).as("pipeline restarts").isPositive()
                    .isLessThanOrEqualTo((int) (thrown.getOrDefault("stage-a", 0L) + thrown.getOrDefault("stage-b", 0L)));
            assertThat(status("stage-a")).isEqualTo(DeclaredTask.Status.RUNNING);
            assertThat(status("stage-b")).isEqualTo(DeclaredTask.Status.RUNNING);
            assertThat(status("doomed")).as("past its limit").isEqualTo(DeclaredTask.Status.FAILED);
            assertThat(restarts.get("doomed")).as("doomed: maxRestarts = 3").isEqualTo(3);
            assertThat(thrown.get("doomed")).as("doomed: 1 attempt + 3 restarts").isEqualTo(4);
            assertThat(status("victim")).as("stopped by the operator, not restarted").isEqualTo(DeclaredTask.Status.STOPPED);
            assertThat(restarts.get("victim")).isZero();
            restarts.forEach((name, n) -> assertThat(restartMeters.get(name)).as("taskloop.task.restarts{task=%s}", name).isEqualTo(n.doubleValue()));

            // The operator: only accepted DELETEs cancel jobs, with the endpoint's reason. A job the timer had already
            // woken when the request came ends by itself: cancellation is seen at the next await point, as in Trio.
            assertThat(acceptedCount).as("jobs cancelled through the endpoint").isPositive();
            assertThat(cancelledCount).as("jobs that ended cancelled").isPositive();
            assertThat(cancelledNotAccepted).as("jobs that ended cancelled without an accepted DELETE").isEmpty();
            assertThat(cancelReasons).as("their cancel reasons")
                    .allMatch(r -> r.equals("cancelled by an operator through the Actuator endpoint 'taskloop'"));
            assertThat(operatorCalls.keySet()).as("DELETE statuses").isSubsetOf("204", "404", "409");

            // Health: UP except while the loop was blocked on purpose, and those moments were seen.
            assertThat(blocks).as("blocks of the loop").isNotEmpty();
            assertThat(unexplained).as("unhealthy samples outside the blocks").isEmpty();
            assertThat(unhealthy).as("the blocks were seen: health DOWN, liveness 503").anyMatch(s -> s.liveness == 503)
                    .anyMatch(s -> s.component.equals("DOWN"));
            Sample last = sample();
            assertThat(last.healthy()).as("healthy after the chaos: %s", last).isTrue();

            // No leak.
            assertThat(after.taskNames).as("live tasks after the chaos (victim stopped)").isEqualTo(without(before.taskNames, "victim"));
            assertThat(after.virtualThreads).as("virtual threads after the chaos (victim's ended)").isEqualTo(before.virtualThreads - 1);
            assertThat((double) after.heap).as("heap after a full GC, against %.1f MB before", mb(before.heap))
                    .isLessThanOrEqualTo(before.heap * 1.10);
        }

        /** Cancels one live job through the endpoint, as an operator would. */
        private void operate() throws IOException, InterruptedException {
            HttpResponse<String> all = http("GET", "/actuator/taskloop");
            assertThat(all.statusCode()).isEqualTo(200);
            List<Number> jobs = JsonPath.read(all.body(), "$.tasks[?(@.name == 'job')].id");
            if (jobs.isEmpty()) {
                return;
            }
            Number id = jobs.get(ThreadLocalRandom.current().nextInt(jobs.size()));
            int status = http("DELETE", "/actuator/taskloop/" + id).statusCode();
            operatorCalls.merge(Integer.toString(status), 1, Integer::sum);
            if (status == 204) {
                accepted.add(id.longValue());
            }
        }

        /** Waits until the chaos has died down: no job left, every restart done, the blocker not blocking. */
        private void settle() throws InterruptedException {
            await("the chaos has settled", Duration.ofSeconds(30), () -> chaos.spawnerIdle.get() && !chaos.blocking.get()
                    && loop.tasks().stream().noneMatch(t -> t.name().equals("job"))
                    && declared.all().stream().noneMatch(st -> st.status() == DeclaredTask.Status.BACKING_OFF
                            || st.status() == DeclaredTask.Status.STARTING));
            loop.spawn("settled", () -> { }).join(); // one more turn of the loop: ends announced, threads gone
        }

        private Figures measure() throws Exception {
            List<String> names = loop.tasks().stream().filter(t -> !t.isDone()).map(Task::name).sorted().toList();
            // A task's thread ends a moment after the task: up to 1 s for the count to be stable at one per task
            // plus the loop's driver; if it is not, the figures say so and the checks judge them.
            AtomicLong vts = new AtomicLong(virtualThreads());
            untilOrAsItIs(Duration.ofMillis(20), Duration.ofSeconds(1), () -> {
                long a = vts.get();
                vts.set(virtualThreads());
                return a == vts.get() && vts.get() == names.size() + 1;
            });
            long heap = heapAfterFullGc();
            histogram();
            return new Figures(names.size(), names, vts.get(), heap);
        }

        /**
         * With {@code -Dtaskloop.soak.histograms=DIR}, the heap's class histogram (after a full GC) to a
         * file in DIR, once at the baseline and once at the end: the diff shows what a failing heap check retained.
         */
        private void histogram() throws Exception {
            String dir = System.getProperty("taskloop.soak.histograms");
            if (dir == null) {
                return;
            }
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
            Path file = Path.of(dir, "histogram-" + System.currentTimeMillis() + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.valueOf(text));
            System.out.println("soak: class histogram in " + file);
        }

        private long virtualThreads() throws IOException {
            Path dump = Files.createTempFile(dir, "threads", ".json");
            Files.delete(dump); // dumpThreads will not overwrite
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpThreads(dump.toString(),
                    HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            List<Object> virtual = JsonPath.read(dump.toFile(), "$.threadDump.threadContainers[*].threads[?(@.virtual == true)]");
            Files.delete(dump);
            return virtual.size();
        }

        private Sample sample() throws IOException, InterruptedException {
            long at = System.nanoTime();
            int liveness = http("GET", "/actuator/health/liveness").statusCode();
            HttpResponse<String> component = http("GET", "/actuator/health/taskloop");
            return new Sample(at, System.nanoTime(), liveness, JsonPath.read(component.body(), "$.status"));
        }

        private DeclaredTask.Status status(String name) {
            return declared.find(name).orElseThrow().status();
        }

        private Map<String, Long> outcomes() {
            Map<String, Long> m = new TreeMap<>();
            chaos.jobOutcomes.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }

        private HttpResponse<String> http(String method, String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A health sample, taken between {@code from} and {@code to} (nanoTime). */
    private record Sample(long from, long to, int liveness, String component) {
        boolean healthy() {
            return liveness == 200 && component.equals("UP");
        }
    }

    /**
     * Whether a sample falls in a block, or just after it: the health component is computed when asked,
     * but liveness is published by the monitor, up to one check interval (100 ms) after the block ends.
     */
    private static boolean duringBlock(Sample s, List<long[]> blocks) {
        long grace = TimeUnit.MILLISECONDS.toNanos(500);
        return blocks.stream().anyMatch(b -> s.to >= b[0] && s.from <= (b[1] == Long.MAX_VALUE ? Long.MAX_VALUE : b[1] + grace));
    }

    private record Figures(int tasks, List<String> taskNames, long virtualThreads, long heap) {
    }

    private static List<String> without(List<String> names, String name) {
        List<String> l = new ArrayList<>(names);
        l.remove(name);
        return l;
    }

    /** Heap in use right after a full GC (repeated until it no longer shrinks). */
    private static long heapAfterFullGc() {
        AtomicLong used = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger gcs = new AtomicInteger();
        untilOrAsItIs(Duration.ofMillis(50), Duration.ofSeconds(5), () -> {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long before = used.getAndUpdate(u -> Math.min(u, now));
            return now >= before * 0.99 || gcs.incrementAndGet() == 5;
        });
        return used.get();
    }

    /**
     * Runs {@code step} every {@code interval} on this thread until it returns {@code true}; fails if that
     * takes longer than {@code length} and half a minute (a step stalled that long is a failure of its own).
     */
    private static void every(Duration interval, String what, Duration length, Callable<Boolean> step) {
        Awaitility.await(what).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(interval)
                .atMost(length.plusSeconds(30)).until(step);
    }

    /** Like {@link #every}, but the end of {@code limit} ends it too: what is measured then is what it is. */
    private static void untilOrAsItIs(Duration interval, Duration limit, Callable<Boolean> step) {
        try {
            Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(interval).atMost(limit).until(step);
        } catch (ConditionTimeoutException asItIs) {
            // not stable within the limit: the caller reports the figure it has
        }
    }

    /** Polls state that other threads change, bounded. */
    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
