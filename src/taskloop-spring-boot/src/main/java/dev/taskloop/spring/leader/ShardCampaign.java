package dev.taskloop.spring.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One sharded election on one replica, on any backend's {@link ShardLeases}: a platform thread of
 * its own ({@code taskloop-shards-<election>}) runs a round every retry period (plus up to 10 %
 * jitter), and sooner when another replica's lease is due to expire before then (a replica that
 * died: its shards are taken a few milliseconds after their leases expire, not up to a retry period
 * later). A round
 * <ol>
 *   <li>writes this replica's membership (first, so that it expires no later than its shards; on
 *       stopping it is removed first),</li>
 *   <li>reads the membership and the shards' holders,</li>
 *   <li>releases the shards it gives up whose units have stood by,</li>
 *   <li>applies {@link ShardPlan}: stands by the surplus it gives up, and tries to take free shards,
 *       and</li>
 *   <li>renews every other shard this replica holds (one that is no longer its is lost).</li>
 * </ol>
 *
 * <h2>Per shard</h2>
 * Each shard has a {@link LeaseCampaign} (so the renew deadline holds per shard, whatever the thread
 * is waiting for) and this life:
 * <pre>
 *   free --acquired (granted, token)--> held --plan gives it up--> releasing --unit stood by--> released --> free
 *                                        |  \--renew deadline passed--> fenced --renewed--> held
 *                                        +--renewal refused (another holder)--> lost --> free
 * </pre>
 * A shard given up is still renewed until its unit has stood by (its task ended, its {@code finally}
 * ran), and only then released: another replica cannot start it before. A shard lost (renew deadline,
 * or taken over) is stopped at once; another replica can take it only once its lease expired, a lease
 * duration after the last renewal, which is after the renew deadline.
 *
 * <h2>Thread-safety</h2>
 * Every I/O call is made on the campaign's thread; {@link #stoodBy} (from a loop) and the deadline
 * timers only change state under this object's lock and wake the thread.
 */
final class ShardCampaign {

    private static final Log log = LogFactory.getLog(ShardCampaign.class);

    /** A round due to another replica's lease expiring runs this long after the expiry (clock reads and writes in between). */
    private static final Duration EXPIRY_MARGIN = Duration.ofMillis(5);

    private final String election;
    private final int count;
    private final String backend;
    private final ShardLeases leases;
    private final LeaseTimings timings;
    private final LeaderElection.ShardListener listener;
    private final Shard[] shards;
    private final int offset;
    private final int releasesPerRound;
    private final Thread thread;
    private volatile boolean stopped;
    private boolean woken;
    private int failures;
    private String lastHeld = "[]";

    ShardCampaign(String election, int count, String backend, ShardLeases leases, LeaseTimings timings,
                  LeaderElection.ShardListener listener, ScheduledExecutorService deadlines) {
        this.election = election;
        this.count = count;
        this.backend = backend;
        this.leases = leases;
        this.timings = timings;
        this.listener = listener;
        this.shards = new Shard[count];
        for (int i = 0; i < count; i++) {
            shards[i] = new Shard(i, deadlines);
        }
        this.offset = Math.floorMod(leases.me().hashCode(), count);
        this.releasesPerRound = ShardPlan.releasesPerRound(count);
        this.thread = Thread.ofPlatform().daemon().name("taskloop-shards-" + election).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Stops campaigning: gives every shard held up (their units have stood by), leaves, and waits up to the renew deadline for it. */
    void stop() {
        stopped = true;
        wake();
        try {
            if (!thread.join(timings.renewDeadline())) {
                log.warn("Sharded election '" + election + "' (" + backend + "): could not give its shards up within " + timings.renewDeadline()
                        + "; they expire by themselves after the lease duration (" + timings.leaseDuration() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The unit of {@code shard} has stood by (its task ended): if it is being given up, it can be released now. */
    void stoodBy(int shard) {
        if (shard < 0 || shard >= count) {
            return;
        }
        synchronized (this) {
            shards[shard].idle = true;
            if (!shards[shard].releasing) {
                return;
            }
        }
        wake();
    }

    // ------------------------------------------------------------------ the thread

    private void run() {
        try {
            while (!stopped) {
                long next = System.nanoTime() + (long) (timings.retryPeriod().toNanos() * (1 + 0.1 * ThreadLocalRandom.current().nextDouble()));
                try {
                    Duration expiry = round();
                    if (expiry != null) {
                        next = Math.min(next, System.nanoTime() + expiry.plus(EXPIRY_MARGIN).toNanos());
                    }
                    recovered();
                } catch (RuntimeException e) {
                    failed("a round", e);
                }
                while (!stopped && awaitWake(next)) {
                    releaseStoodBy();
                }
            }
        } finally {
            giveUpAll();
        }
    }

    /** One round; returns how long until another replica's lease expires, if one does before it is renewed (see {@link ShardLeases.View}). */
    private @Nullable Duration round() {
        leases.join();
        ShardLeases.View view = leases.read();
        releaseStoodBy();
        Set<Integer> mine = new TreeSet<>();
        synchronized (this) {
            for (Shard s : shards) {
                if (s.held && !s.releasing) {
                    mine.add(s.index);
                }
            }
        }
        ShardPlan.Decision d = ShardPlan.decide(count, leases.me(), view.members(), view.holders(), mine, offset, releasesPerRound);
        for (int i : d.release()) {
            giveUp(i);
        }
        List<Integer> taken = new ArrayList<>();
        for (int i : d.acquire()) {
            if (stopped) {
                break;
            }
            OptionalLong token;
            try {
                token = leases.acquire(i);
            } catch (RuntimeException e) {
                failed("taking " + leases.describe(i), e);
                continue;
            }
            if (token.isPresent()) {
                granted(i, token.getAsLong());
                taken.add(i);
            }
        }
        for (int i : held()) {
            if (taken.contains(i)) {
                continue;
            }
            boolean renewed;
            try {
                renewed = leases.renew(i);
            } catch (RuntimeException e) {
                failed("renewing " + leases.describe(i), e); // the shard's renew deadline stops it if this goes on
                continue;
            }
            if (renewed) {
                shards[i].campaign.renewed();
            } else {
                lost(i);
            }
        }
        logHeld(view.members().size());
        return view.nextExpiry();
    }

    private void granted(int i, long token) {
        Shard s = shards[i];
        synchronized (this) {
            s.held = true;
            s.releasing = false;
        }
        s.campaign.renewed(token);
        s.campaign.granted();
    }

    private void lost(int i) {
        Shard s = shards[i];
        synchronized (this) {
            if (!s.held) {
                return;
            }
            s.held = false;
            s.releasing = false;
        }
        log.warn("Sharded election '" + election + "' (" + backend + "): " + leases.describe(i) + " is no longer this replica's ('"
                + leases.me() + "'); stopping its shard");
        s.campaign.revoked();
    }

    /** Stands the unit of shard {@code i} by, to give the shard up once it has. */
    private void giveUp(int i) {
        Shard s = shards[i];
        synchronized (this) {
            if (!s.held || s.releasing) {
                return;
            }
            s.releasing = true;
        }
        s.campaign.revoked();
    }

    /** Releases the shards being given up whose units have stood by. */
    private void releaseStoodBy() {
        List<Integer> ready = new ArrayList<>();
        synchronized (this) {
            for (Shard s : shards) {
                if (s.held && s.releasing && s.idle) {
                    ready.add(s.index);
                }
            }
        }
        for (int i : ready) {
            try {
                leases.release(i);
            } catch (RuntimeException e) {
                failed("releasing " + leases.describe(i), e); // still renewed, released at the next try
                continue;
            }
            synchronized (this) {
                shards[i].held = false;
                shards[i].releasing = false;
            }
        }
    }

    /**
     * Stopping: the membership goes first (so that the others, when they see the shards free, count one
     * replica less and take them all), then every shard still held is given up: its unit has stood by,
     * since the elections resign before they stop.
     */
    private void giveUpAll() {
        try {
            leases.leave();
        } catch (RuntimeException e) {
            failed("leaving", e);
        }
        for (int i : held()) {
            giveUp(i);
            try {
                leases.release(i);
            } catch (RuntimeException e) {
                failed("releasing " + leases.describe(i), e);
            }
            synchronized (this) {
                shards[i].held = false;
            }
        }
        log.info("Sharded election '" + election + "' (" + backend + "): this replica ('" + leases.me() + "') gave its shards up and left");
    }

    private synchronized List<Integer> held() {
        List<Integer> held = new ArrayList<>();
        for (Shard s : shards) {
            if (s.held) {
                held.add(s.index);
            }
        }
        return held;
    }

    private void wake() {
        synchronized (this) {
            woken = true;
            notifyAll();
        }
    }

    /** Waits until {@code deadline} ({@link System#nanoTime()}) or a wake-up; {@code true} if woken before it. */
    private synchronized boolean awaitWake(long deadline) {
        while (!woken && !stopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
        woken = false;
        return !stopped;
    }

    private void failed(String what, RuntimeException e) {
        if (failures++ == 0) {
            log.warn("Sharded election '" + election + "' (" + backend + "): " + what + " failed (" + e + "); retrying every retry period,"
                    + " each held shard stops at its renew deadline (" + timings.renewDeadline() + ") if its lease cannot be renewed", e);
        } else if (log.isDebugEnabled()) {
            log.debug("Sharded election '" + election + "' (" + backend + "): " + what + " failed again", e);
        }
    }

    private void recovered() {
        if (failures > 0) {
            log.info("Sharded election '" + election + "' (" + backend + "): the leases can be reached again (after " + failures + " failure(s))");
            failures = 0;
        }
    }

    private void logHeld(int members) {
        String now = held().toString();
        if (!now.equals(lastHeld)) {
            lastHeld = now;
            log.info("Sharded election '" + election + "' (" + backend + "): this replica ('" + leases.me() + "') holds shards " + now
                    + " of " + count + " (" + Math.max(1, members) + " replica(s))");
        }
    }

    /** One shard: its lease's campaign, and where this replica is with it. Fields guarded by the {@link ShardCampaign}. */
    private final class Shard implements LeaderElection.Listener {
        final int index;
        final LeaseCampaign campaign;
        /** The lease is this replica's, as far as it knows. */
        boolean held;
        /** It is being given up: its unit was told to stand by. */
        volatile boolean releasing;
        /** Its unit runs no term (never started, or stood by since the last grant). */
        boolean idle = true;

        Shard(int index, ScheduledExecutorService deadlines) {
            this.index = index;
            this.campaign = new LeaseCampaign(ShardNames.shard(election, index), backend, this, timings.renewDeadline(), deadlines);
        }

        @Override
        public void onGranted(String name) {
            onGranted(name, 0);
        }

        /**
         * Every grant (a re-grant after the renew deadline too) makes the unit busy, after the listener
         * was told: a stand-by the leadership reported before, from an earlier term, has been
         * delivered by then (it reports under the lock the grant takes).
         */
        @Override
        public void onGranted(String name, long fencingToken) {
            listener.onGranted(election, index, fencingToken);
            synchronized (ShardCampaign.this) {
                idle = false;
            }
        }

        @Override
        public void onRevoked(String name) {
            listener.onRevoked(election, index, !releasing);
        }
    }
}
