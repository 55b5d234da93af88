package dev.taskloop.spring.leader;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One election's leadership as a lease-based backend sees it, with the renew deadline kept here,
 * whatever the library does: a leader whose last successful renewal is older than the renew deadline
 * is told {@link LeaderElection.Listener#onRevoked revoked} at that moment, even while the library
 * is still waiting for a hung database or API-server call. If a renewal then succeeds, the lease was
 * still this replica's, and it is granted again. Callbacks reach the listener once per change.
 */
final class LeaseCampaign {

    private static final Log log = LogFactory.getLog(LeaseCampaign.class);

    private final String election;
    private final String backend;
    private final LeaderElection.Listener listener;
    private final Duration renewDeadline;
    private final ScheduledExecutorService scheduler;
    /** The library says this replica leads. */
    private boolean leading;
    /** The renew deadline passed since the last renewal: the listener was told revoked. */
    private boolean fenced;
    private @Nullable ScheduledFuture<?> deadline;
    /** Which arming of the deadline is current; a timer of an older one does nothing. */
    private long generation;

    LeaseCampaign(String election, String backend, LeaderElection.Listener listener, Duration renewDeadline,
                  ScheduledExecutorService scheduler) {
        this.election = election;
        this.backend = backend;
        this.listener = listener;
        this.renewDeadline = renewDeadline;
        this.scheduler = scheduler;
    }

    /** The library made this replica the leader. */
    synchronized void granted() {
        if (leading) {
            return;
        }
        leading = true;
        fenced = false;
        armDeadline();
        listener.onGranted(election);
    }

    /** The lease (lock) was renewed, or acquired, by this replica just now. */
    synchronized void renewed() {
        if (!leading) {
            return;
        }
        armDeadline();
        if (fenced) {
            fenced = false;
            log.info("Leader election '" + election + "' (" + backend + "): renewed after the renew deadline had passed; the lease was"
                    + " still this replica's, so it leads again");
            listener.onGranted(election);
        }
    }

    /** The library says this replica no longer leads. */
    synchronized void revoked() {
        if (!leading) {
            return;
        }
        leading = false;
        disarmDeadline();
        if (fenced) {
            fenced = false; // the listener was told already
            return;
        }
        listener.onRevoked(election);
    }

    synchronized boolean isLeading() {
        return leading && !fenced;
    }

    private void armDeadline() {
        disarmDeadline();
        long armed = ++generation;
        deadline = scheduler.schedule(() -> deadlinePassed(armed), renewDeadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarmDeadline() {
        generation++;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private synchronized void deadlinePassed(long armed) {
        if (armed != generation || !leading || fenced) {
            return;
        }
        fenced = true;
        log.warn("Leader election '" + election + "' (" + backend + "): the lease could not be renewed within the renew deadline ("
                + renewDeadline + "); this replica stops leading before the lease expires and another replica may take over");
        listener.onRevoked(election);
    }
}
