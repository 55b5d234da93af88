package dev.taskloop.spring.leader;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code taskloop.leader.backend=none}: no coordination; this replica leads every election as soon as
 * it campaigns. For development and single-replica deployments only: with several replicas every one
 * of them runs every singleton.
 *
 * @since 0.1.0
 */
public final class LocalLeaderElection implements LeaderElection {

    private final String identity;
    private final Map<String, Listener> started = new ConcurrentHashMap<>();

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
        if (started.putIfAbsent(election, listener) != null) {
            throw new IllegalStateException("leader election '" + election + "' is already started");
        }
        listener.onGranted(election);
    }

    @Override
    public void stop(String election) {
        Listener l = started.remove(election);
        if (l != null) {
            l.onRevoked(election);
        }
    }
}
