package dev.taskloop.spring.leader;

import dev.taskloop.core.queue.Queue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The application's side of leader election: which singleton units (declared tasks and groups) sit
 * in which election, and the turns each of them is given. One campaign per election name, however
 * many units share it; the {@link LeaderElection} backend's callbacks become a sequence of
 * {@link Turn turns} in each unit's {@link Seat}, which its supervising task awaits on its loop. A
 * repeated grant or revocation from the backend is dropped here, so turns alternate.
 *
 * <p>A sharded task or group ({@code shards = N}) has a sharded election of its own
 * ({@link #joinShards}): one seat per shard, each given {@code LEAD} while this replica holds that
 * shard. When a shard's unit has stood by after losing it ({@link Seat#stoodBy()}), the backend is
 * told ({@link LeaderElection#shardStoodBy}), so that a shard given up is released only once its
 * {@code finally} blocks ran. Every grant carries the backend's fencing token
 * ({@link Seat#fencingToken()}).
 *
 * <h2>Life</h2>
 * <pre>
 *   join (per unit) --start()--> campaigning --resign()--> units told RESIGN, left, campaigns stopped
 *                                      \--close()--> every campaign still running stopped
 * </pre>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class Leadership {

    private static final Log log = LogFactory.getLog(Leadership.class);

    /** What a singleton unit is to do next. */
    public enum Turn {
        /** This replica leads the election: run. */
        LEAD,
        /** This replica does not (or no longer) lead the election: stop, and wait. */
        STANDBY,
        /** The application is stopping: stop, and leave the election. */
        RESIGN
    }

    private final LeaderElection backend;
    private final Map<String, Election> elections = new LinkedHashMap<>();
    private boolean started;

    public Leadership(LeaderElection backend) {
        this.backend = backend;
    }

    /** The backend that runs the elections. */
    public LeaderElection backend() {
        return backend;
    }

    /**
     * Seats the unit {@code unit} (a declared task's or group's name) in the election {@code election},
     * before {@link #start()}.
     */
    public synchronized Seat join(String election, String unit) {
        if (started) {
            throw new IllegalStateException("cannot join election '" + election + "' with '" + unit + "': the elections have started");
        }
        Election e = elections.computeIfAbsent(election, Election::new);
        Seat seat = new Seat(e, unit);
        e.seats.add(seat);
        return seat;
    }

    /**
     * Seats the sharded unit {@code unit} (a declared task's or group's name) in a sharded election of
     * its own, {@code election}, with {@code shards} shards, before {@link #start()}: one seat per
     * shard, in index order, for the units {@code <unit>-<index>}.
     *
     * @throws IllegalStateException if the elections have started, or the election is joined already
     */
    public synchronized List<Seat> joinShards(String election, String unit, int shards) {
        if (started) {
            throw new IllegalStateException("cannot join election '" + election + "' with '" + unit + "': the elections have started");
        }
        if (shards < 1) {
            throw new IllegalArgumentException("sharded election '" + election + "' needs at least 1 shard, not " + shards);
        }
        if (elections.containsKey(election)) {
            throw new IllegalStateException("election '" + election + "' is joined already; a sharded election has one unit, '" + unit + "'");
        }
        Election e = new Election(election, shards);
        elections.put(election, e);
        List<Seat> seats = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            Seat seat = new Seat(e, ShardNames.shard(unit, i), i);
            e.seats.add(seat);
            seats.add(seat);
        }
        return List.copyOf(seats);
    }

    /** Starts campaigning in every election joined; the backend's failure (e.g. a missing lock table) is thrown. */
    public void start() {
        List<Election> all;
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
            all = List.copyOf(elections.values());
        }
        for (Election e : all) {
            e.campaigning = true;
            if (e.shards > 0) {
                backend.startSharded(e.name, e.shards, e);
            } else {
                backend.start(e.name, e);
            }
        }
        if (!all.isEmpty()) {
            log.info("Leader election (" + backend.backend() + ") as '" + backend.identity() + "': campaigning in "
                    + all.stream().map(e -> "'" + e.name + "' for " + e.units()).toList());
        }
    }

    /** The election names, in the order they were joined. */
    public synchronized List<String> elections() {
        return List.copyOf(elections.keySet());
    }

    /** Whether this replica leads {@code election} now ({@code false} for a sharded election: see {@link #ownedShards}). */
    public boolean isLeader(String election) {
        Election e;
        synchronized (this) {
            e = elections.get(election);
        }
        return e != null && e.leader;
    }

    /** The shards of the sharded election {@code election} this replica holds now, in index order; empty for any other election. */
    public List<Integer> ownedShards(String election) {
        Election e;
        synchronized (this) {
            e = elections.get(election);
        }
        if (e == null || e.shards == 0) {
            return List.of();
        }
        List<Integer> owned = new ArrayList<>();
        for (Seat s : e.seats) {
            if (s.held) {
                owned.add(s.shard);
            }
        }
        return owned;
    }

    /**
     * How many shards of the sharded election {@code election} this replica has taken, given up and
     * lost since it started; zeros for any other election.
     */
    public Handovers handovers(String election) {
        Election e;
        synchronized (this) {
            e = elections.get(election);
        }
        return e == null ? new Handovers(0, 0, 0) : new Handovers(e.acquired.sum(), e.released.sum(), e.lost.sum());
    }

    /**
     * Shards that changed hands on this replica, since it started.
     *
     * @param acquired shards it took (free, expired, or given up by another replica)
     * @param released shards it gave up, to rebalance or because it stops (each released once its unit stood by)
     * @param lost shards it lost: not renewed within the renew deadline, or found taken over
     */
    public record Handovers(long acquired, long released, long lost) {
    }

    /** Since when this replica leads (or stands by in) {@code election}; {@code null} for an unknown election. */
    public @Nullable Instant since(String election) {
        Election e;
        synchronized (this) {
            e = elections.get(election);
        }
        return e == null ? null : e.since;
    }

    /**
     * Tells every unit to stop and leave its election, waits up to {@code timeout} for them to end
     * (their {@code finally} blocks run first), then stops the campaigns of the elections whose units
     * have all left, so that another replica takes over without overlapping them. Elections with a unit
     * still running keep their leadership until {@link #close()}.
     *
     * @return a line saying what was done, for the shutdown report
     */
    public String resign(Duration timeout) {
        List<Election> all;
        synchronized (this) {
            all = List.copyOf(elections.values());
        }
        if (all.isEmpty()) {
            return "no singleton";
        }
        for (Election e : all) {
            for (Seat s : e.seats) {
                s.turns.offer(Turn.RESIGN);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> released = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Election e : all) {
            boolean allLeft = true;
            for (Seat s : e.seats) {
                try {
                    s.left.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException ex) {
                    allLeft = false;
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    allLeft = false;
                }
            }
            if (allLeft) {
                stopCampaign(e);
                released.add("'" + e.name + "'");
            } else {
                kept.add("'" + e.name + "'");
            }
        }
        return "left " + released.size() + " election(s) " + released
                + (kept.isEmpty() ? "" : "; still held until the loops close (a singleton did not end within " + timeout + "): " + kept);
    }

    /** Stops every campaign still running (giving up the leaderships held). */
    public void close() {
        List<Election> all;
        synchronized (this) {
            all = List.copyOf(elections.values());
        }
        for (Election e : all) {
            stopCampaign(e);
        }
    }

    private void stopCampaign(Election e) {
        synchronized (e) {
            if (!e.campaigning) {
                return;
            }
            e.campaigning = false;
        }
        try {
            backend.stop(e.name);
        } catch (RuntimeException ex) {
            log.warn("Leader election '" + e.name + "' (" + backend.backend() + ") could not be stopped cleanly; another replica takes"
                    + " over when the lease expires", ex);
        }
    }

    /** One election: its units and whether this replica leads it; or, sharded, one seat per shard. */
    private final class Election implements LeaderElection.Listener, LeaderElection.ShardListener {
        private final String name;
        /** 0 for a singleton election, else how many shards. */
        private final int shards;
        private final List<Seat> seats = new ArrayList<>();
        private volatile boolean leader;
        private volatile long token;
        private volatile Instant since = Instant.now();
        private boolean campaigning;
        private final LongAdder acquired = new LongAdder();
        private final LongAdder released = new LongAdder();
        private final LongAdder lost = new LongAdder();

        Election(String name) {
            this(name, 0);
        }

        Election(String name, int shards) {
            this.name = name;
            this.shards = shards;
        }

        List<String> units() {
            return seats.stream().map(s -> s.unit).toList();
        }

        @Override
        public void onGranted(String election) {
            onGranted(election, 0);
        }

        @Override
        public void onGranted(String election, long fencingToken) {
            synchronized (this) {
                if (leader) {
                    return;
                }
                leader = true;
                token = fencingToken;
                since = Instant.now();
            }
            log.info("Leader election '" + name + "' (" + backend.backend() + "): this replica ('" + backend.identity()
                    + "') leads it now; starting " + units());
            seats.forEach(s -> s.turns.offer(Turn.LEAD));
        }

        @Override
        public void onRevoked(String election) {
            synchronized (this) {
                if (!leader) {
                    return;
                }
                leader = false;
                since = Instant.now();
            }
            log.warn("Leader election '" + name + "' (" + backend.backend() + "): this replica ('" + backend.identity()
                    + "') no longer leads it; cancelling " + units());
            seats.forEach(s -> s.turns.offer(Turn.STANDBY));
        }

        @Override
        public void onGranted(String election, int shard, long fencingToken) {
            Seat s = shardSeat(shard);
            synchronized (s) {
                if (s.held) {
                    return;
                }
                s.held = true;
                s.token = fencingToken;
                s.turns.offer(Turn.LEAD);
            }
            acquired.increment();
            since = Instant.now();
        }

        @Override
        public void onRevoked(String election, int shard, boolean lostIt) {
            Seat s = shardSeat(shard);
            synchronized (s) {
                if (!s.held) {
                    return;
                }
                s.held = false;
                s.standbys++;
                s.turns.offer(Turn.STANDBY);
            }
            (lostIt ? lost : released).increment();
            since = Instant.now();
        }

        LeaderElection backend() {
            return backend;
        }

        private Seat shardSeat(int shard) {
            if (shard < 0 || shard >= shards) {
                throw new IllegalArgumentException("election '" + name + "' has shards 0 to " + (shards - 1) + ", not " + shard);
            }
            return seats.get(shard);
        }
    }

    /**
     * One unit's place in an election (or, sharded, one shard's): the turns it is given, in order. Its
     * supervising task awaits {@link #next()}, calls {@link #stoodBy()} after each {@code STANDBY} it
     * carried out, and {@link #left()} when it ends.
     */
    public static final class Seat {
        private final Election election;
        private final String unit;
        private final int shard;
        private final Queue<Turn> turns;
        private final CompletableFuture<Void> left = new CompletableFuture<>();
        /** A shard's: whether this replica holds it; its token; STANDBY turns offered and carried out. Guarded by the seat. */
        private volatile boolean held;
        private volatile long token;
        private int standbys;
        private int stoodBy;

        private Seat(Election election, String unit) {
            this(election, unit, -1);
        }

        private Seat(Election election, String unit, int shard) {
            this.election = election;
            this.unit = unit;
            this.shard = shard;
            this.turns = Queue.fifo(shard < 0 ? "leader election '" + election.name + "'" : "shard " + shard + " of election '" + election.name + "'");
        }

        /** The election's name. */
        public String election() {
            return election.name;
        }

        /** The shard this seat is for, or -1 for a singleton's. */
        public int shard() {
            return shard;
        }

        /** How many shards its election has; 0 for a singleton's. */
        public int shards() {
            return election.shards;
        }

        /**
         * The fencing token of this replica's current (or last) grant: of the election for a singleton,
         * of the shard for a shard; 0 when the backend gives none (or before the first grant).
         */
        public long fencingToken() {
            return shard < 0 ? election.token : token;
        }

        /** What this seat is in, for messages: {@code election 'report'}, {@code shard 3 of election 'tenant-poller'}. */
        public String describe() {
            return (shard < 0 ? "" : "shard " + shard + " of ") + "election '" + election.name + "'";
        }

        /**
         * Its unit carried out a {@code STANDBY}: its term ended, its {@code finally} blocks ran. For a
         * shard that this replica no longer holds, once every {@code STANDBY} offered has been carried
         * out, the backend is told ({@link LeaderElection#shardStoodBy}), under the seat's lock, so that
         * a later grant cannot overtake it.
         */
        public void stoodBy() {
            if (shard < 0) {
                return;
            }
            synchronized (this) {
                stoodBy++;
                if (stoodBy == standbys && !held) {
                    election.backend().shardStoodBy(election.name, shard);
                }
            }
        }

        /** Waits for the next turn; an await point. */
        public Turn next() {
            return turns.get();
        }

        /** Whether this replica leads the election now (for a shard: holds the shard). */
        public boolean isLeader() {
            return shard < 0 ? election.leader : held;
        }

        /** The unit's supervising task has ended (it ran its cleanup); called once, from its {@code finally}. */
        public void left() {
            left.complete(null);
        }
    }
}
