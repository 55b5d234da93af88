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
 *
 * <p>The deadline counts from the last successful write of the lease (acquisition or renewal), not
 * from the grant, which may come later (the JDBC backend first draws the fencing token). The grant
 * carries the fencing token last {@linkplain #renewed(long) seen} or {@linkplain #granted(long) given}.
 * One per election (and one per shard of a sharded election).
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
    /** The fencing token of the lease as this replica last wrote it; 0 while unknown. */
    private long token;
    /** When the lease was last written by this replica ({@link System#nanoTime()}), or {@code null} before. */
    private @Nullable Long writtenAt;

    LeaseCampaign(String election, String backend, LeaderElection.Listener listener, Duration renewDeadline,
                  ScheduledExecutorService scheduler) {
        this.election = election;
        this.backend = backend;
        this.listener = listener;
        this.renewDeadline = renewDeadline;
        this.scheduler = scheduler;
    }

    /** The library made this replica the leader, with the fencing token last seen. */
    synchronized void granted() {
        if (leading) {
            return;
        }
        leading = true;
        fenced = false;
        armDeadline(writtenAt);
        grant();
    }

    /** The library made this replica the leader, with fencing token {@code token}. */
    synchronized void granted(long token) {
        this.token = token;
        granted();
    }

    /** The lease (lock) was renewed, or acquired, by this replica just now. */
    synchronized void renewed() {
        writtenAt = System.nanoTime();
        if (!leading) {
            return;
        }
        armDeadline(writtenAt);
        if (fenced) {
            fenced = false;
            log.info("Leader election '" + election + "' (" + backend + "): renewed after the renew deadline had passed; the lease was"
                    + " still this replica's, so it leads again");
            grant();
        }
    }

    /** The lease was renewed, or acquired, by this replica just now, and carries fencing token {@code token}. */
    synchronized void renewed(long token) {
        this.token = token;
        renewed();
    }

    private void grant() {
        if (token > 0) {
            listener.onGranted(election, token);
        } else {
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

    /** Arms the deadline to pass a renew deadline after {@code from} (a {@link System#nanoTime()}; {@code null}: now). */
    private void armDeadline(@Nullable Long from) {
        disarmDeadline();
        long armed = ++generation;
        long left = renewDeadline.toNanos() - (from == null ? 0 : System.nanoTime() - from);
        deadline = scheduler.schedule(() -> deadlinePassed(armed), Math.max(0, left), TimeUnit.NANOSECONDS);
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
