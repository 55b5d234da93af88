package dev.taskloop.spring.leader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A leader election the test decides: {@link #grant} and {@link #revoke} call the listeners as a backend would. */
public final class ManualLeaderElection implements LeaderElection {

    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    /** What was called, in order: "start x", "stop x". */
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
    public void stop(String election) {
        calls.add("stop " + election);
        Listener l = listeners.remove(election);
        if (l != null) {
            l.onRevoked(election);
        }
    }

    public void grant(String election) {
        listener(election).onGranted(election);
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
