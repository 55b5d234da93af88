package dev.taskloop.spring.leader;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code taskloop.leader.backend=none}: no coordination; this replica leads every election, and holds
 * every shard of every sharded election, as soon as it campaigns. For development and single-replica
 * deployments only: with several replicas every one of them runs every singleton and every shard.
 * Fencing tokens count this replica's grants (1, 2, ...), per election and per shard.
 *
 * @since 0.1.0
 */
public final class LocalLeaderElection implements LeaderElection {

    private final String identity;
    private final Map<String, Runnable> started = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> tokens = new ConcurrentHashMap<>();

    public LocalLeaderElection(String identity) {
        this.identity = identity;
    }

    @Override
    public String backend() {
        return "none";
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public void start(String election, Listener listener) {
        claim(election, () -> listener.onRevoked(election));
        listener.onGranted(election, nextToken(election));
    }

    @Override
    public void startSharded(String election, int shards, ShardListener listener) {
        claim(election, () -> {
            for (int i = 0; i < shards; i++) {
                listener.onRevoked(election, i, false);
            }
        });
        for (int i = 0; i < shards; i++) {
            listener.onGranted(election, i, nextToken(ShardNames.shard(election, i)));
        }
    }

    @Override
    public void stop(String election) {
        Runnable revoke = started.remove(election);
        if (revoke != null) {
            revoke.run();
        }
    }

    private void claim(String election, Runnable revoke) {
        if (started.putIfAbsent(election, revoke) != null) {
            throw new IllegalStateException("leader election '" + election + "' is already started");
        }
    }

    private long nextToken(String lease) {
        return tokens.computeIfAbsent(lease, l -> new AtomicLong()).incrementAndGet();
    }
}
