package dev.taskloop.spring.leader;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A backend's running sharded elections, by name: what {@code shardStoodBy}, {@code stop} and {@code close} reach. Thread-safe. */
final class ShardCampaigns {

    private final Map<String, ShardCampaign> running = new ConcurrentHashMap<>();

    boolean has(String election) {
        return running.containsKey(election);
    }

    /** Starts {@code campaign} as {@code election}'s (the caller made sure it has none). */
    void start(String election, ShardCampaign campaign) {
        running.put(election, campaign);
        campaign.start();
    }

    void stoodBy(String election, int shard) {
        ShardCampaign c = running.get(election);
        if (c != null) {
            c.stoodBy(shard);
        }
    }

    /** Stops {@code election}'s campaign (giving its shards up); {@code false} if it has none. */
    boolean stop(String election) {
        ShardCampaign c = running.remove(election);
        if (c == null) {
            return false;
        }
        c.stop();
        return true;
    }

    void stopAll() {
        for (String election : List.copyOf(running.keySet())) {
            stop(election);
        }
    }
}
