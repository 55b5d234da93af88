package dev.taskloop.spring.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a backend's sharded elections must do, with real replicas: application contexts in one JVM,
 * each with the sharded task {@code tenant-poller} (16 shards) and its own {@link StallingProxy} to the
 * coordination, lease 3 s, renew deadline 2 s, retry period 250 ms. Every run of every shard is
 * recorded by the {@link ShardTimeline}; each test ends by checking that no shard ever ran on two
 * replicas at once, that no shard went without a run longer than lease duration + two retry periods,
 * and that each shard's fencing tokens grew with every change of replica.
 */
abstract class ShardedReplicasContract {

    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(2);
    static final Duration RETRY = Duration.ofMillis(250);
    static final int SHARDS = 16;
    /** How long a settled distribution must stay as it is: four retry periods. */
    static final Duration STAYS = RETRY.multipliedBy(4);

    protected ShardTimeline timeline;
    protected final Map<String, Replica> replicas = new LinkedHashMap<>();
    protected final Map<String, StallingProxy> proxies = new LinkedHashMap<>();
    /** The replicas killed: cut off and stopping, no longer counted as live. */
    protected final Set<String> killed = ConcurrentHashMap.newKeySet();

    /** The backend's name, for the figures printed. */
    abstract String backend();

    /** The port of the coordination (the database, the API server) on 127.0.0.1. */
    abstract int upstreamPort();

    /** Starts replica {@code name}, reaching the coordination through {@code proxy}. */
    abstract Replica start(String name, StallingProxy proxy);

    @BeforeEach
    void freshTimeline() {
        timeline = ShardTimeline.reset(SHARDS);
    }

    @AfterEach
    void stopAll() {
        proxies.values().forEach(StallingProxy::close); // first, so that no replica waits on a stalled connection
        replicas.values().forEach(Replica::close);
    }

    protected Replica join(String name) {
        StallingProxy proxy = new StallingProxy(upstreamPort());
        proxies.put(name, proxy);
        Replica r = start(name, proxy);
        replicas.put(name, r);
        return r;
    }

    /** The replicas still running (not stopped, not killed). */
    protected List<Replica> live() {
        return replicas.values().stream().filter(r -> r.isRunning() && !killed.contains(r.name())).toList();
    }

    /** The fair counts of {@code SHARDS} over {@code m} replicas, largest first. */
    static List<Integer> fair(int m) {
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            counts.add(SHARDS / m + (i < SHARDS % m ? 1 : 0));
        }
        return counts;
    }

    /** Whether every shard runs, the replicas in {@code on} run the fair counts, and each runs exactly the shards it holds. */
    protected boolean settled(List<Replica> on) {
        if (!timeline.allRunning()) {
            return false;
        }
        List<Integer> counts = new ArrayList<>();
        for (Replica r : on) {
            List<Integer> running = timeline.runningOn(r.name());
            if (!running.equals(r.shards())) {
                return false;
            }
            counts.add(running.size());
        }
        counts.sort(Comparator.reverseOrder());
        return counts.equals(fair(on.size()));
    }

    /** Waits (up to {@code atMost}) until {@link #settled}, then checks it stays so; returns how long it took. */
    protected Duration awaitSettled(List<Replica> on, Duration atMost) {
        long t0 = System.nanoTime();
        Awaitility.await("the shards settle at " + fair(on.size()) + " over " + on.stream().map(Replica::name).toList())
                .atMost(atMost).pollInterval(Duration.ofMillis(10)).until(() -> settled(on));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        Awaitility.await("the settled distribution stays").during(STAYS).atMost(STAYS.multipliedBy(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> settled(on));
        return took;
    }

    /** The checks every test ends with. */
    protected void checkRuns() {
        assertThat(timeline.overlaps()).as("runs of one shard at the same time on two replicas").isEmpty();
        assertThat(timeline.longestUnowned()).as("the longest a shard went without a run (lease duration + two retry periods at most)")
                .isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(2)));
        for (int i = 0; i < SHARDS; i++) {
            List<ShardTimeline.Run> runs = timeline.runs(i);
            for (int k = 1; k < runs.size(); k++) {
                ShardTimeline.Run prev = runs.get(k - 1);
                ShardTimeline.Run next = runs.get(k);
                assertThat(next.token()).as("shard %d's fencing token, from %s to %s", i, prev, next).isGreaterThan(prev.token());
            }
        }
    }

    static long ms(Duration d) {
        return d.toMillis();
    }

    static String stats(List<Duration> ds) {
        if (ds.isEmpty()) {
            return "none";
        }
        List<Long> sorted = ds.stream().map(Duration::toMillis).sorted().toList();
        return "n=" + sorted.size() + " min " + sorted.getFirst() + " median " + sorted.get(sorted.size() / 2) + " max " + sorted.getLast() + " ms";
    }

    @Test
    void sixteenShardsSettleAtSixFiveFiveAFourthReplicaMakesItFourEachAndAStoppedReplicasShardsMoveOnlyAfterTheirFinally() {
        join("replica-a");
        join("replica-b");
        join("replica-c");
        Duration three = awaitSettled(live(), Duration.ofSeconds(30));

        join("replica-d");
        Duration four = awaitSettled(live(), Duration.ofSeconds(30));

        int before = timeline.handOvers().size();
        Replica b = replicas.get("replica-b");
        List<Integer> bHeld = timeline.runningOn("replica-b");
        long stop = System.nanoTime();
        b.close();
        Duration closed = Duration.ofNanos(System.nanoTime() - stop);
        Duration after = awaitSettled(live(), Duration.ofSeconds(30));
        List<Duration> moved = timeline.handOvers().subList(before, timeline.handOvers().size());

        for (int shard : bHeld) {
            List<ShardTimeline.Run> runs = timeline.runs(shard);
            ShardTimeline.Run last = runs.getLast();
            ShardTimeline.Run onB = runs.get(runs.size() - 2);
            assertThat(onB.replica()).isEqualTo("replica-b");
            assertThat(last.replica()).isNotEqualTo("replica-b");
            assertThat(last.start()).as("shard %d started elsewhere only after its finally ran on replica-b", shard).isGreaterThan(onB.end());
            assertThat(Duration.ofNanos(last.start() - onB.end())).as("the stopped replica released it: taken at the next try, not at expiry")
                    .isLessThan(LEASE);
        }
        System.out.printf("SHARDS %s: 16 over 3 settled in %d ms; a 4th joined: 4/4/4/4 in %d ms; one stopped (close %d ms): settled in %d ms,"
                        + " its %d shards handed over %s; hand-overs while rebalancing %s; longest unowned %d ms%n", backend(), ms(three), ms(four),
                ms(closed), ms(after), bHeld.size(), stats(moved), stats(timeline.handOvers().subList(0, before)),
                ms(timeline.longestUnowned()));
        checkRuns();
    }

    /**
     * The stress form: 50 times, a replica joins, leaves (stops) or is killed (cut off from the
     * coordination and stopped at once, so its leases expire by themselves), between 2 and 4 live
     * replicas; after each, the shards must settle at the fair counts, and at the end no run may have
     * overlapped another of its shard, ever.
     */
    @Test
    @Tag("stress")
    void joinLeaveAndKillFiftyTimesWithoutAnOverlap() throws Exception {
        long seed = 16;
        Random random = new Random(seed);
        long t0 = System.nanoTime();
        join("replica-0");
        join("replica-1");
        join("replica-2");
        awaitSettled(live(), Duration.ofSeconds(30));
        Map<String, List<Duration>> settle = new LinkedHashMap<>();
        List<Thread> dying = new ArrayList<>();
        int next = 3;
        for (int i = 1; i <= 50; i++) {
            List<Replica> live = live();
            String action = live.size() <= 2 ? "join" : live.size() >= 4 ? (random.nextBoolean() ? "leave" : "kill")
                    : List.of("join", "leave", "kill").get(random.nextInt(3));
            switch (action) {
                case "join" -> join("replica-" + next++);
                case "leave" -> live.get(random.nextInt(live.size())).close();
                default -> {
                    Replica victim = live.get(random.nextInt(live.size()));
                    killed.add(victim.name());
                    StallingProxy proxy = proxies.get(victim.name());
                    proxy.stall(); // gone, for the coordination: no release, no renewal
                    dying.add(Thread.ofPlatform().name("kill-" + victim.name()).start(() -> {
                        victim.close(); // its tasks are cancelled at once; its leases expire by themselves
                        proxy.close();
                    }));
                }
            }
            settle.computeIfAbsent(action, a -> new ArrayList<>()).add(awaitSettled(live(), LEASE.plusSeconds(30)));
            assertThat(timeline.overlaps()).as("overlaps after step %d (%s)", i, action).isEmpty();
        }
        for (Thread t : dying) {
            t.join();
        }
        System.out.printf("SHARDS %s stress (seed %d): 50 steps in %d s; settled after join %s; leave %s; kill %s; %d hand-overs %s;"
                        + " longest unowned %d ms (bound %d ms); overlaps %d%n", backend(), seed, Duration.ofNanos(System.nanoTime() - t0).toSeconds(),
                stats(settle.getOrDefault("join", List.of())), stats(settle.getOrDefault("leave", List.of())),
                stats(settle.getOrDefault("kill", List.of())), timeline.handOvers().size(), stats(timeline.handOvers()),
                ms(timeline.longestUnowned()), ms(LEASE.plus(RETRY.multipliedBy(2))), timeline.overlaps().size());
        checkRuns();
    }

    @Test
    void aReplicaCutOffStopsItsShardsAtTheRenewDeadlineAndTheOthersStartThemOnlyOnceTheirLeasesExpired() {
        join("replica-a");
        join("replica-b");
        join("replica-c");
        awaitSettled(live(), Duration.ofSeconds(30));
        List<Integer> aHeld = timeline.runningOn("replica-a");

        long cut = System.nanoTime();
        proxies.get("replica-a").stall(); // its renewals now hang: no error reaches it, only time passes
        Awaitility.await("replica-a stops its shards").atMost(RENEW_DEADLINE.plusSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> timeline.runningOn("replica-a").isEmpty());
        List<Replica> others = List.of(replicas.get("replica-b"), replicas.get("replica-c"));
        awaitSettled(others, LEASE.plusSeconds(20));
        Duration settled = Duration.ofNanos(System.nanoTime() - cut - STAYS.toNanos());

        List<Long> stopped = new ArrayList<>();
        List<Long> restarted = new ArrayList<>();
        for (int shard : aHeld) {
            List<ShardTimeline.Run> runs = timeline.runs(shard);
            ShardTimeline.Run onA = runs.stream().filter(r -> r.replica().equals("replica-a")).reduce((x, y) -> y).orElseThrow();
            ShardTimeline.Run next = runs.get(runs.indexOf(onA) + 1);
            stopped.add((onA.end() - cut) / 1_000_000);
            restarted.add((next.start() - cut) / 1_000_000);
            assertThat(Duration.ofNanos(onA.end() - cut)).as("shard %d stops on replica-a by its renew deadline, counted from its last"
                    + " renewal", shard).isLessThanOrEqualTo(RENEW_DEADLINE.plusMillis(1000));
            assertThat(Duration.ofNanos(next.start() - cut)).as("shard %d starts elsewhere only once its lease expired (a lease duration"
                    + " after its last renewal, at most a retry period before the cut)", shard)
                    .isGreaterThanOrEqualTo(LEASE.minus(RETRY.multipliedBy(11).dividedBy(10)).minusMillis(100))
                    .isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(2)).plusMillis(1000));
        }
        System.out.printf("SHARDS %s: cut off, replica-a's %d shards stopped %d..%d ms after the cut (renew deadline %d ms), started elsewhere"
                        + " %d..%d ms after it (lease %d ms); 16 over the other 2 settled at most %d ms after the cut; longest unowned %d ms%n", backend(),
                aHeld.size(), stopped.stream().min(Long::compare).orElseThrow(), stopped.stream().max(Long::compare).orElseThrow(),
                ms(RENEW_DEADLINE), restarted.stream().min(Long::compare).orElseThrow(), restarted.stream().max(Long::compare).orElseThrow(),
                ms(LEASE), ms(settled), ms(timeline.longestUnowned()));
        checkRuns();
    }
}
