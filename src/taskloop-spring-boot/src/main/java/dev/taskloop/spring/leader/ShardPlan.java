package dev.taskloop.spring.leader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What one replica does with a sharded election in one round, decided from what the leases show
 * alone: no coordinator, each replica applies the same rule to its own view.
 *
 * <p>With {@code N} shards and {@code M} live members (this replica included), the fair shares are
 * {@code floor = N / M} and {@code ceil = ceil(N / M)}: every replica ends with {@code floor} or
 * {@code ceil} shards (16 over 3: 6/5/5). The rule, in this order:
 * <ol>
 *   <li>Holding more than {@code ceil}: give up the surplus, at most {@code releasesPerRound} a round
 *       (the highest indices).</li>
 *   <li>Holding more than {@code floor} while another member holds fewer than {@code floor} and no shard
 *       is free: give up one, if this replica is the most loaded (ties: the smallest holder key), so
 *       that one replica a round moves one shard to the member behind.</li>
 *   <li>Otherwise take free shards (no valid lease): up to {@code ceil} while no other member is
 *       behind, else up to {@code floor} (so the free shards go to the member behind first). The search
 *       starts at {@code offset}, different per replica, so that replicas joining together try different
 *       shards.</li>
 * </ol>
 * Views taken at different moments can make two replicas move more than needed; the next rounds
 * correct it, since the rule's fixed points are exactly the fair distributions. A replica never
 * takes a shard someone else holds validly: only a lease's expiry or release frees it.
 *
 * <p>Stateless and thread-safe.
 */
final class ShardPlan {

    private ShardPlan() {
    }

    /**
     * @param release shards to give up now (stand their units by first)
     * @param acquire free shards to try to take, in order
     */
    record Decision(List<Integer> release, List<Integer> acquire) {
    }

    /** At most this many surplus shards are given up per round: {@code max(2, ceil(shards / 8))}. */
    static int releasesPerRound(int shards) {
        return Math.max(2, (shards + 7) / 8);
    }

    /**
     * @param shards how many shards there are
     * @param me this replica's holder key
     * @param members the live members' holder keys (this replica is added if missing)
     * @param holders per shard, its valid holder, or {@code null}
     * @param mine the shards this replica holds and keeps (not those it is giving up)
     * @param offset where to start looking for free shards
     * @param releasesPerRound the most surplus shards given up in one round
     */
    static Decision decide(int shards, String me, Set<String> members, @Nullable String[] holders, Set<Integer> mine, int offset,
                           int releasesPerRound) {
        Set<String> live = new HashSet<>(members);
        live.add(me);
        int m = live.size();
        int floor = shards / m;
        int ceil = (shards + m - 1) / m;
        Map<String, Integer> load = new HashMap<>();
        for (String member : live) {
            if (!member.equals(me)) {
                load.put(member, 0);
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int k = 0; k < shards; k++) {
            int i = Math.floorMod(offset + k, shards);
            String h = holders[i];
            if (h != null) {
                load.computeIfPresent(h, (key, n) -> n + 1);
            } else if (!mine.contains(i)) {
                free.add(i);
            }
        }
        int held = mine.size();
        boolean behind = load.values().stream().anyMatch(n -> n < floor);
        List<Integer> highestFirst = new ArrayList<>(new TreeSet<>(mine).descendingSet());
        if (held > ceil) {
            return new Decision(highestFirst.subList(0, Math.min(held - ceil, releasesPerRound)), List.of());
        }
        if (held > floor && behind && free.isEmpty() && mostLoaded(me, held, load)) {
            return new Decision(highestFirst.subList(0, 1), List.of());
        }
        int want = Math.max(0, (behind ? floor : ceil) - held);
        return new Decision(List.of(), free.subList(0, Math.min(want, free.size())));
    }

    private static boolean mostLoaded(String me, int held, Map<String, Integer> load) {
        for (Map.Entry<String, Integer> other : load.entrySet()) {
            int n = other.getValue();
            if (n > held || (n == held && other.getKey().compareTo(me) < 0)) {
                return false;
            }
        }
        return true;
    }
}
