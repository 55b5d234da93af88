package dev.taskloop.spring.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rule each replica applies to its view of a sharded election, in a simulation of rounds: the
 * replicas act one after the other on the leases as the previous ones left them, giving up and
 * taking at once (the real campaign waits for the shard's task to end in between).
 */
class ShardPlanTest {

    /** The leases of the simulation: each shard's holder, or null. */
    private static final class Leases {
        final String[] holder;
        int moves;

        Leases(int shards) {
            holder = new String[shards];
        }

        Set<Integer> of(String replica) {
            Set<Integer> mine = new TreeSet<>();
            for (int i = 0; i < holder.length; i++) {
                if (replica.equals(holder[i])) {
                    mine.add(i);
                }
            }
            return mine;
        }

        /** One round: each replica, in {@code order}, decides on what the leases show now and acts. */
        void round(List<String> order, Set<String> members) {
            for (String r : order) {
                ShardPlan.Decision d = ShardPlan.decide(holder.length, r, members, holder.clone(), of(r), Math.floorMod(r.hashCode(),
                        holder.length), ShardPlan.releasesPerRound(holder.length));
                assertThat(d.release().size()).as("given up in one round").isLessThanOrEqualTo(ShardPlan.releasesPerRound(holder.length));
                assertThat(d.release().isEmpty() || d.acquire().isEmpty()).as("never gives up and takes in the same round").isTrue();
                for (int i : d.release()) {
                    assertThat(holder[i]).isEqualTo(r);
                    holder[i] = null;
                    moves++;
                }
                for (int i : d.acquire()) {
                    assertThat(holder[i]).as("a shard held by another is never taken").isNull();
                    holder[i] = r;
                    moves++;
                }
            }
        }

        List<Integer> counts(Set<String> members) {
            List<Integer> counts = new ArrayList<>();
            for (String m : members) {
                counts.add(of(m).size());
            }
            counts.sort(Collections.reverseOrder());
            return counts;
        }

        boolean allHeld() {
            for (String h : holder) {
                if (h == null) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Set<String> replicas(int m) {
        Set<String> members = new TreeSet<>();
        for (int i = 0; i < m; i++) {
            members.add("replica-" + (char) ('a' + i));
        }
        return members;
    }

    /** The fair counts: N mod M replicas hold ceil(N/M), the others floor(N/M). */
    private static List<Integer> fair(int n, int m) {
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            counts.add(n / m + (i < n % m ? 1 : 0));
        }
        return counts;
    }

    /** Runs rounds (in a random order each) until the distribution is fair; returns how many it took, failing after {@code max}. */
    private static int settle(Leases leases, Set<String> members, Random random, int max) {
        for (int round = 1; round <= max; round++) {
            List<String> order = new ArrayList<>(members);
            Collections.shuffle(order, random);
            leases.round(order, members);
            if (leases.allHeld() && leases.counts(members).equals(fair(leases.holder.length, members.size()))) {
                return round;
            }
        }
        throw new AssertionError("not fair after " + max + " rounds: " + leases.counts(members));
    }

    @Test
    void sixteenShardsOverThreeReplicasSettleAtSixFiveFiveAndAFourthMakesItFourEach() {
        Random random = new Random(16);
        Leases leases = new Leases(16);
        Set<String> three = replicas(3);
        int first = settle(leases, Set.of("replica-a"), random, 5);
        assertThat(first).as("a replica alone takes every shard in one round").isEqualTo(1);
        int rounds = settle(leases, three, random, 20);
        assertThat(leases.counts(three)).containsExactly(6, 5, 5);

        Set<String> four = replicas(4);
        int more = settle(leases, four, random, 20);
        assertThat(leases.counts(four)).containsExactly(4, 4, 4, 4);
        System.out.printf("ShardPlan: 1 -> 3 replicas fair after %d rounds, 3 -> 4 after %d (%d moves in all)%n", rounds, more, leases.moves);
    }

    @Test
    void aFairDistributionIsAFixedPointNothingMoves() {
        Random random = new Random(7);
        Leases leases = new Leases(16);
        Set<String> three = replicas(3);
        settle(leases, three, random, 20);
        int moves = leases.moves;
        for (int i = 0; i < 20; i++) {
            leases.round(new ArrayList<>(three), three);
        }
        assertThat(leases.moves).isEqualTo(moves);
    }

    @Test
    void aReplicaThatDiesLeavesItsShardsFreeAndTheOthersTakeThemAllInOneRound() {
        Random random = new Random(3);
        Leases leases = new Leases(16);
        Set<String> four = replicas(4);
        settle(leases, four, random, 20);
        for (int i = 0; i < 16; i++) {
            if ("replica-d".equals(leases.holder[i])) {
                leases.holder[i] = null; // its leases expired
            }
        }
        Set<String> three = replicas(3);
        leases.round(new ArrayList<>(three), three);
        assertThat(leases.allHeld()).as("every free shard taken in the first round after the expiry").isTrue();
        assertThat(leases.counts(three)).containsExactly(6, 5, 5);
    }

    @Test
    void aShardHeldByAReplicaThatIsNoMemberAnyMoreIsNotFreeButCountsForNobody() {
        String[] holders = new String[4];
        holders[0] = "ghost";
        ShardPlan.Decision d = ShardPlan.decide(4, "replica-a", Set.of("replica-a"), holders, Set.of(), 0, 2);

        assertThat(d.acquire()).containsExactly(1, 2, 3);
    }

    @Test
    void aMemberBehindGetsTheFreeShardsFirst() {
        // 10 shards, 3 replicas: floor 3, ceil 4. b holds 2 (behind); a holds 3 and one shard is free.
        String[] holders = {"replica-a", "replica-a", "replica-a", "replica-b", "replica-b", "replica-c", "replica-c", "replica-c",
            "replica-c", null};
        Set<String> members = replicas(3);
        assertThat(ShardPlan.decide(10, "replica-a", members, holders, Set.of(0, 1, 2), 0, 2).acquire()).as("a waits").isEmpty();
        assertThat(ShardPlan.decide(10, "replica-b", members, holders, Set.of(3, 4), 0, 2).acquire()).containsExactly(9);
    }

    @Test
    void theMostLoadedReplicaAloneGivesOneUpToAMemberBehindWhenNoShardIsFree() {
        // 16 shards, 3 replicas, 6/6/4: floor 5. Both 6s are the most loaded: the smaller key gives one up.
        String[] holders = new String[16];
        for (int i = 0; i < 16; i++) {
            holders[i] = i < 6 ? "replica-a" : i < 12 ? "replica-b" : "replica-c";
        }
        Set<String> members = replicas(3);
        assertThat(ShardPlan.decide(16, "replica-a", members, holders, Set.of(0, 1, 2, 3, 4, 5), 0, 2).release()).containsExactly(5);
        assertThat(ShardPlan.decide(16, "replica-b", members, holders, Set.of(6, 7, 8, 9, 10, 11), 0, 2).release()).isEmpty();
        assertThat(ShardPlan.decide(16, "replica-c", members, holders, Set.of(12, 13, 14, 15), 0, 2).acquire()).isEmpty();
    }

    @ParameterizedTest(name = "{0} shards over {1} replicas, from a random start")
    @CsvSource({"16, 3", "16, 4", "16, 5", "7, 3", "3, 5", "1, 2", "64, 6", "256, 7"})
    void fromAnyStartTheReplicasSettleAtTheFairCounts(int shards, int replicas) {
        Random random = new Random(shards * 31L + replicas);
        for (int trial = 0; trial < 20; trial++) {
            Leases leases = new Leases(shards);
            Set<String> members = replicas(replicas);
            List<String> names = new ArrayList<>(members);
            names.add("gone"); // a replica that left: its leases expire
            for (int i = 0; i < shards; i++) {
                int pick = random.nextInt(names.size() + 1);
                leases.holder[i] = pick == names.size() ? null : names.get(pick);
            }
            for (int i = 0; i < shards; i++) {
                if ("gone".equals(leases.holder[i])) {
                    leases.holder[i] = null;
                }
            }
            int rounds = settle(leases, members, random, 4 * shards + 20);
            assertThat(rounds).isPositive();
            TreeMap<Integer, Integer> histogram = new TreeMap<>();
            for (int c : leases.counts(members)) {
                histogram.merge(c, 1, Integer::sum);
            }
            assertThat(histogram.keySet()).as("every replica holds floor or ceil").allMatch(c -> c == shards / replicas
                    || c == (shards + replicas - 1) / replicas);
            assertThat(new HashSet<>(List.of(leases.holder))).doesNotContainNull();
        }
    }
}
