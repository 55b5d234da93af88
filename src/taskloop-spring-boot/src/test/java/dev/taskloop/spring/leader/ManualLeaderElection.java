package dev.taskloop.spring.leader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A leader election the test decides: {@link #grant} and {@link #revoke} call the listeners as a backend
 * would, {@link #grant(String, long)} with a fencing token; {@link #grantShard} and {@link #revokeShard}
 * the shard listeners of sharded elections.
 */
public final class ManualLeaderElection implements LeaderElection {

    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final Map<String, ShardListener> shardListeners = new ConcurrentHashMap<>();
    /** What was called, in order: "start x", "start x (16 shards)", "stood by x 3", "stop x". */
    public final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public String backend() {
        return "manual";
    }

    @Override
    public String identity() {
        return "test-replica";
    }

    @Override
    public void start(String election, Listener listener) {
        calls.add("start " + election);
        listeners.put(election, listener);
    }

    @Override
    public void startSharded(String election, int shards, ShardListener listener) {
        calls.add("start " + election + " (" + shards + " shards)");
        shardListeners.put(election, listener);
    }

    /** Called with every "stood by" as it is told, in the telling thread: a test may record it beside its own events, in order. */
    public volatile java.util.function.Consumer<String> onStoodBy = call -> { };

    @Override
    public void shardStoodBy(String election, int shard) {
        calls.add("stood by " + election + " " + shard);
        onStoodBy.accept("stood by " + election + " " + shard);
    }

    @Override
    public void stop(String election) {
        calls.add("stop " + election);
        Listener l = listeners.remove(election);
        if (l != null) {
            l.onRevoked(election);
        }
        shardListeners.remove(election);
    }

    public void grant(String election) {
        listener(election).onGranted(election);
    }

    public void grant(String election, long fencingToken) {
        listener(election).onGranted(election, fencingToken);
    }

    public void grantShard(String election, int shard, long fencingToken) {
        shardListener(election).onGranted(election, shard, fencingToken);
    }

    public void revokeShard(String election, int shard, boolean lost) {
        shardListener(election).onRevoked(election, shard, lost);
    }

    private ShardListener shardListener(String election) {
        ShardListener l = shardListeners.get(election);
        if (l == null) {
            throw new AssertionError("no sharded campaign for election '" + election + "'; started: " + shardListeners.keySet());
        }
        return l;
    }

    public void revoke(String election) {
        listener(election).onRevoked(election);
    }

    public List<String> started() {
        return new ArrayList<>(listeners.keySet());
    }

    private Listener listener(String election) {
        Listener l = listeners.get(election);
        if (l == null) {
            throw new AssertionError("no campaign for election '" + election + "'; started: " + listeners.keySet());
        }
        return l;
    }
}
