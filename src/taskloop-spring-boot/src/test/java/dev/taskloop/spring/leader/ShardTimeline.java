package dev.taskloop.spring.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The overlap checker of the sharded-task tests: every run of every shard, on every replica, as an
 * interval from the first line of the task's body to the last line of its {@code finally}.
 *
 * <p>The replicas are application contexts in one JVM, so every time is {@link System#nanoTime()} of
 * one monotonic clock, read under this object's lock: the order of the times is the order in which
 * the events happened, so no margin for clock reads is needed, and "a run started before the previous
 * one of its shard ended" is an overlap, whatever the replicas' wall clocks say. A run that starts
 * while another run of its shard is still open is recorded as an overlap at once.
 *
 * <p>Thread-safe.
 */
public final class ShardTimeline {

    /** The timeline of the test running now (the replicas' shard tasks write to it). */
    public static volatile ShardTimeline current = new ShardTimeline(16);

    /** One run: {@code end} is -1 while it runs. */
    public record Run(String replica, int shard, long token, long start, long end) {
        boolean open() {
            return end < 0;
        }
    }

    private final int shards;
    private final List<List<Run>> runs = new ArrayList<>();
    private final List<String> overlaps = new ArrayList<>();
    private final long created = System.nanoTime();

    public ShardTimeline(int shards) {
        this.shards = shards;
        for (int i = 0; i < shards; i++) {
            runs.add(new ArrayList<>());
        }
    }

    public static ShardTimeline reset(int shards) {
        current = new ShardTimeline(shards);
        return current;
    }

    public synchronized void started(String replica, int shard, long token) {
        long now = System.nanoTime();
        for (Run r : runs.get(shard)) {
            if (r.open()) {
                overlaps.add("shard " + shard + " started on " + replica + " (token " + token + ") while it ran on " + r.replica()
                        + " (token " + r.token() + ", since " + ms(now - r.start()) + " ms)");
            }
        }
        runs.get(shard).add(new Run(replica, shard, token, now, -1));
    }

    public synchronized void ended(String replica, int shard) {
        long now = System.nanoTime();
        List<Run> list = runs.get(shard);
        for (int i = list.size() - 1; i >= 0; i--) {
            Run r = list.get(i);
            if (r.open() && r.replica().equals(replica)) {
                list.set(i, new Run(r.replica(), shard, r.token(), r.start(), now));
                return;
            }
        }
        overlaps.add("shard " + shard + " ended on " + replica + ", where it did not run");
    }

    /** Every overlap: runs of one shard on two replicas (or twice on one) at the same moment. Empty is the only good answer. */
    public synchronized List<String> overlaps() {
        List<String> all = new ArrayList<>(overlaps);
        for (int i = 0; i < shards; i++) {
            List<Run> byStart = new ArrayList<>(runs.get(i));
            byStart.sort(Comparator.comparingLong(Run::start));
            for (int k = 1; k < byStart.size(); k++) {
                Run prev = byStart.get(k - 1);
                Run next = byStart.get(k);
                if (prev.open() || prev.end() >= next.start()) {
                    all.add("shard " + i + ": " + prev + " overlaps " + next);
                }
            }
        }
        return all;
    }

    /**
     * The longest time a shard went without a run, between the end of one run and the start of the
     * next (and, for a shard not running now, until now); counted from each shard's first run.
     */
    public synchronized Duration longestUnowned() {
        long now = System.nanoTime();
        long longest = 0;
        for (List<Run> list : runs) {
            List<Run> byStart = new ArrayList<>(list);
            byStart.sort(Comparator.comparingLong(Run::start));
            for (int k = 1; k < byStart.size(); k++) {
                longest = Math.max(longest, byStart.get(k).start() - byStart.get(k - 1).end());
            }
            if (!byStart.isEmpty() && !byStart.getLast().open()) {
                longest = Math.max(longest, now - byStart.getLast().end());
            }
        }
        return Duration.ofNanos(longest);
    }

    /** The hand-overs from one replica to another: for each, the time from the old run's end to the new run's start. */
    public synchronized List<Duration> handOvers() {
        List<Duration> gaps = new ArrayList<>();
        for (List<Run> list : runs) {
            for (int k = 1; k < list.size(); k++) {
                Run prev = list.get(k - 1);
                Run next = list.get(k);
                if (!prev.replica().equals(next.replica()) && !prev.open()) {
                    gaps.add(Duration.ofNanos(next.start() - prev.end()));
                }
            }
        }
        return gaps;
    }

    /** How many shards run on each replica now (replicas running none are absent). */
    public synchronized Map<String, Integer> running() {
        Map<String, Integer> counts = new TreeMap<>();
        for (List<Run> list : runs) {
            for (Run r : list) {
                if (r.open()) {
                    counts.merge(r.replica(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** The shards running on {@code replica} now. */
    public synchronized List<Integer> runningOn(String replica) {
        List<Integer> on = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            for (Run r : runs.get(i)) {
                if (r.open() && r.replica().equals(replica)) {
                    on.add(i);
                }
            }
        }
        return on;
    }

    /** Whether every shard runs somewhere now. */
    public synchronized boolean allRunning() {
        for (List<Run> list : runs) {
            if (list.stream().noneMatch(Run::open)) {
                return false;
            }
        }
        return true;
    }

    /** The runs of {@code shard}, in start order. */
    public synchronized List<Run> runs(int shard) {
        List<Run> list = new ArrayList<>(runs.get(shard));
        list.sort(Comparator.comparingLong(Run::start));
        return list;
    }

    /** The runs of every shard, in start order per shard. */
    public synchronized List<Run> all() {
        List<Run> all = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            all.addAll(runs(i));
        }
        return all;
    }

    /** Milliseconds since this timeline was made, of {@code nanos} (a {@link System#nanoTime()}). */
    public long sinceCreated(long nanos) {
        return ms(nanos - created);
    }

    public int shards() {
        return shards;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
