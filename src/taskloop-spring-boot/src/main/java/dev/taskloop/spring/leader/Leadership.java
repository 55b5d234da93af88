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
            backend.start(e.name, e);
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

    /** Whether this replica leads {@code election} now. */
    public boolean isLeader(String election) {
        Election e;
        synchronized (this) {
            e = elections.get(election);
        }
        return e != null && e.leader;
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

    /** One election: its units and whether this replica leads it. */
    private final class Election implements LeaderElection.Listener {
        private final String name;
        private final List<Seat> seats = new ArrayList<>();
        private volatile boolean leader;
        private volatile Instant since = Instant.now();
        private boolean campaigning;

        Election(String name) {
            this.name = name;
        }

        List<String> units() {
            return seats.stream().map(s -> s.unit).toList();
        }

        @Override
        public void onGranted(String election) {
            synchronized (this) {
                if (leader) {
                    return;
                }
                leader = true;
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
    }

    /**
     * One unit's place in an election: the turns it is given, in order. Its supervising task awaits
     * {@link #next()} and calls {@link #left()} when it ends.
     */
    public static final class Seat {
        private final Election election;
        private final String unit;
        private final Queue<Turn> turns;
        private final CompletableFuture<Void> left = new CompletableFuture<>();

        private Seat(Election election, String unit) {
            this.election = election;
            this.unit = unit;
            this.turns = Queue.fifo("leader election '" + election.name + "'");
        }

        /** The election's name. */
        public String election() {
            return election.name;
        }

        /** Waits for the next turn; an await point. */
        public Turn next() {
            return turns.get();
        }

        /** Whether this replica leads the election now. */
        public boolean isLeader() {
            return election.leader;
        }

        /** The unit's supervising task has ended (it ran its cleanup); called once, from its {@code finally}. */
        public void left() {
            left.complete(null);
        }
    }
}
