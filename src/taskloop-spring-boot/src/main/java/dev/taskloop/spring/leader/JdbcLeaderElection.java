package dev.taskloop.spring.leader;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.dao.DataAccessException;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.LeaderEventPublisher;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Leader election on the application's relational database ({@code taskloop.leader.backend=jdbc}):
 * Spring Integration's {@link LockRegistryLeaderInitiator} over a {@link JdbcLockRegistry}, one
 * initiator (and one platform thread) per election, the lock key being the election name.
 *
 * <p>A lock is a row of Spring Integration's lock table ({@code INT_LOCK}, or another prefix) whose
 * {@code EXPIRED_AFTER} the leader moves forward every retry period; another replica takes the row
 * once it has expired, i.e. {@code leaseDuration} after the last renewal. The leader stops leading as
 * soon as a renewal fails, and at the latest when the renew deadline has passed since the last
 * successful one (kept here, so a hung connection cannot keep it leading). Stopping deletes the row,
 * so another replica takes over at its next try.
 *
 * <p>Each grant draws a fencing token from the companion table {@code <prefix>LOCK_FENCE}
 * ({@link #fenceDdl}), conditional on still holding the lock row, so that a token is greater than
 * every earlier holder's. Sharded elections ({@link #startSharded}) keep one lock row per shard in the
 * same table ({@code JdbcLockRegistry}'s key for {@code <election>-<index>}), and the replicas'
 * memberships as rows of a region of their own; a shard's token is drawn in the transaction that
 * takes it.
 *
 * <p>Both tables are the application's to create (Flyway, Liquibase; the lock table also from Spring
 * Integration's {@code org/springframework/integration/jdbc/schema-*.sql}); {@link #start} fails with
 * their DDL if one is missing. Expiry is computed from each replica's own clock: skew between replicas
 * shortens or lengthens the lease by as much.
 *
 * @since 0.1.0
 */
public final class JdbcLeaderElection implements LeaderElection, AutoCloseable {

    private static final Log log = LogFactory.getLog(JdbcLeaderElection.class);

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private final DataSource dataSource;
    private final String tablePrefix;
    private final LeaseTimings timings;
    private final String identity;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ShardCampaigns sharded = new ShardCampaigns();
    /** This replica's {@code CLIENT_ID} in the singletons' lock rows. */
    private final String clientId = UUID.randomUUID().toString();
    private boolean tablesChecked;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("taskloop-leader-jdbc-deadline").factory());
    private @Nullable JdbcLockRegistry registry;

    /**
     * @param tablePrefix prefix of the lock table, Spring Integration's {@code INT_} by default (the table is {@code <prefix>LOCK})
     */
    public JdbcLeaderElection(DataSource dataSource, String tablePrefix, LeaseTimings timings, String identity) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (!PREFIX.matcher(tablePrefix + "LOCK").matches()) {
            throw new IllegalArgumentException("taskloop.leader.jdbc.table-prefix '" + tablePrefix
                    + "' does not make a valid table name; use letters, digits and underscores, e.g. INT_");
        }
        this.tablePrefix = tablePrefix;
        this.timings = Objects.requireNonNull(timings, "timings");
        this.identity = identity;
    }

    @Override
    public String backend() {
        return "jdbc";
    }

    @Override
    public String identity() {
        return identity;
    }

    /** The lock table: {@code <prefix>LOCK}. */
    public String table() {
        return tablePrefix + "LOCK";
    }

    /** The fencing tokens' table: {@code <prefix>LOCK_FENCE}. */
    public String fenceTable() {
        return tablePrefix + "LOCK_FENCE";
    }

    @Override
    public void start(String election, Listener listener) {
        LeaseCampaign campaign = new LeaseCampaign(election, "jdbc", listener, timings.renewDeadline(), scheduler);
        Threads threads = new Threads("taskloop-leader-jdbc-" + election);
        LockRegistryLeaderInitiator initiator;
        synchronized (this) {
            if (running.containsKey(election) || sharded.has(election)) {
                throw new IllegalStateException("leader election '" + election + "' is already started");
            }
            LockRegistry<?> locks = registry();
            initiator = new LockRegistryLeaderInitiator(new RenewalRecording(locks, campaign), new CandidateFor(election, campaign, this::fence));
            long retry = timings.retryPeriod().toMillis();
            initiator.setHeartBeatMillis(retry);
            initiator.setBusyWaitMillis(retry);
            initiator.setTaskExecutor(threads);
            initiator.setLeaderEventPublisher(NO_EVENTS);
            running.put(election, new Running(initiator, threads, campaign));
        }
        initiator.start();
    }

    /**
     * Campaigns for the shards of {@code election}: a {@link ShardCampaign} over lock rows (see the class
     * documentation), on a thread of its own.
     */
    @Override
    public void startSharded(String election, int shards, ShardListener listener) {
        synchronized (this) {
            if (running.containsKey(election) || sharded.has(election)) {
                throw new IllegalStateException("leader election '" + election + "' is already started");
            }
            checkTables();
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            TransactionTemplate transactions = new TransactionTemplate(new LockTransactions(dataSource, timings.renewDeadline()));
            transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
            sharded.start(election, new ShardCampaign(election, shards, "jdbc", new JdbcShardLeases(jdbc, transactions, tablePrefix, election,
                    shards, timings.leaseDuration()), timings, listener, scheduler));
        }
    }

    @Override
    public void shardStoodBy(String election, int shard) {
        sharded.stoodBy(election, shard);
    }

    @Override
    public void stop(String election) {
        if (sharded.stop(election)) {
            return;
        }
        Running r = running.remove(election);
        if (r == null) {
            return;
        }
        r.initiator.stop(); // interrupts the selector, which deletes the row if it holds it, then says revoked
        r.threads.join(timings.renewDeadline()); // else the row expires by itself after the lease duration
        r.campaign.revoked();
    }

    /** Stops every election (giving up the leaderships held) and the deadline timer. */
    @Override
    public void close() {
        for (String election : List.copyOf(running.keySet())) {
            stop(election);
        }
        sharded.stopAll();
        scheduler.shutdownNow();
    }

    private JdbcLockRegistry registry() {
        if (registry == null) {
            checkTables();
            DefaultLockRepository repository = new DefaultLockRepository(dataSource, clientId);
            repository.setPrefix(tablePrefix);
            repository.setTransactionManager(new LockTransactions(dataSource, timings.renewDeadline()));
            repository.afterPropertiesSet();
            repository.afterSingletonsInstantiated();
            JdbcLockRegistry r = new JdbcLockRegistry(repository, timings.leaseDuration());
            r.setIdleBetweenTries(timings.retryPeriod());
            registry = r;
        }
        return registry;
    }

    private synchronized void checkTables() {
        if (tablesChecked) {
            return;
        }
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        try {
            jdbc.queryForObject("SELECT COUNT(*) FROM " + table(), Integer.class);
        } catch (BadSqlGrammarException e) {
            throw new IllegalStateException("taskloop.leader.backend=jdbc keeps its locks in the table " + table()
                    + ", which cannot be read (" + e.getMostSpecificCause().getMessage() + "). Create it (Flyway, Liquibase, or"
                    + " Spring Integration's org/springframework/integration/jdbc/schema-<database>.sql), e.g. for PostgreSQL: "
                    + ddl(tablePrefix) + "; or set taskloop.leader.jdbc.table-prefix to the prefix of an existing one", e);
        } catch (DataAccessException e) {
            log.warn("Leader election (jdbc): could not check the lock table " + table() + " (" + e.getMostSpecificCause()
                    + "); the elections will keep trying", e);
            return;
        }
        try {
            jdbc.queryForObject("SELECT COUNT(*) FROM " + fenceTable(), Integer.class);
        } catch (BadSqlGrammarException e) {
            throw new IllegalStateException("taskloop.leader.backend=jdbc keeps the fencing tokens of its singletons and shards in the"
                    + " table " + fenceTable() + " next to " + table() + ", which cannot be read (" + e.getMostSpecificCause().getMessage()
                    + "). Create it (Flyway, Liquibase; " + table() + " stays as it is), e.g.: " + fenceDdl(tablePrefix), e);
        } catch (DataAccessException e) {
            log.warn("Leader election (jdbc): could not check the fencing table " + fenceTable() + " (" + e.getMostSpecificCause()
                    + "); the elections will keep trying", e);
            return;
        }
        tablesChecked = true;
    }

    /**
     * Draws the fencing token of a grant of {@code election}, conditional on this replica still holding
     * its lock row; throws when it cannot (the initiator then unlocks, says revoked, and tries again),
     * so that no singleton runs without a token.
     */
    private long fence(String election) {
        String key = JdbcShardLeases.key(election);
        TransactionTemplate transactions = new TransactionTemplate(new LockTransactions(dataSource, timings.renewDeadline()));
        transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        Long token = transactions.execute(status -> new JdbcFence(new JdbcTemplate(dataSource), tablePrefix)
                .next(JdbcShardLeases.REGION, key, clientId, LocalDateTime.now(ZoneOffset.UTC)));
        if (token == null || token == 0) {
            throw new IllegalStateException("Leader election '" + election + "' (jdbc): granted, but the lock row is no longer this"
                    + " replica's by the time its fencing token was drawn; giving the leadership up and trying again");
        }
        return token;
    }

    /**
     * The fencing tokens' table's DDL (PostgreSQL, H2, MySQL): {@code CREATE TABLE <prefix>LOCK_FENCE (LOCK_KEY CHAR(36) NOT NULL,
     * REGION VARCHAR(100) NOT NULL, TOKEN BIGINT NOT NULL, CONSTRAINT <prefix>LOCK_FENCE_PK PRIMARY KEY (LOCK_KEY, REGION))}.
     */
    public static String fenceDdl(String tablePrefix) {
        return JdbcFence.ddl(tablePrefix);
    }

    /** The lock table's DDL (Spring Integration's, for PostgreSQL and H2). */
    public static String ddl(String tablePrefix) {
        return "CREATE TABLE " + tablePrefix + "LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36),"
                + " CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL, CONSTRAINT " + tablePrefix
                + "LOCK_PK PRIMARY KEY (LOCK_KEY, REGION))";
    }

    private record Running(LockRegistryLeaderInitiator initiator, Threads threads, LeaseCampaign campaign) {
    }

    /** Tells the campaign when the initiator made this replica the leader (with a fencing token), and when it stopped. */
    private record CandidateFor(String election, LeaseCampaign campaign, ToLongFunction<String> fence) implements Candidate {
        @Override
        public String getRole() {
            return election;
        }

        @Override
        public String getId() {
            return election;
        }

        @Override
        public void onGranted(Context context) {
            campaign.granted(fence.applyAsLong(election));
        }

        @Override
        public void onRevoked(Context context) {
            campaign.revoked();
        }
    }

    /** The registry, whose locks tell the campaign of every successful acquisition or renewal. */
    private record RenewalRecording(LockRegistry<?> delegate, LeaseCampaign campaign) implements LockRegistry<Lock> {
        @Override
        public Lock obtain(Object key) {
            Lock lock = delegate.obtain(key);
            return new Lock() {
                @Override
                public void lock() {
                    lock.lock();
                    campaign.renewed();
                }

                @Override
                public void lockInterruptibly() throws InterruptedException {
                    lock.lockInterruptibly();
                    campaign.renewed();
                }

                @Override
                public boolean tryLock() {
                    return recorded(lock.tryLock());
                }

                @Override
                public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                    return recorded(lock.tryLock(time, unit));
                }

                @Override
                public void unlock() {
                    lock.unlock();
                }

                @Override
                public Condition newCondition() {
                    return lock.newCondition();
                }

                private boolean recorded(boolean acquired) {
                    if (acquired) {
                        campaign.renewed();
                    }
                    return acquired;
                }
            };
        }
    }

    /** Runs each selector on a platform thread of its own, and can wait for them to end. */
    private static final class Threads implements AsyncTaskExecutor {
        private final String name;
        private final List<Thread> started = new CopyOnWriteArrayList<>();

        Threads(String name) {
            this.name = name;
        }

        @Override
        public void execute(Runnable task) {
            started.add(Thread.ofPlatform().daemon().name(name).start(task));
        }

        void join(Duration atMost) {
            long deadline = System.nanoTime() + atMost.toNanos();
            for (Thread t : started) {
                try {
                    if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                        log.warn("Leader election thread " + t.getName() + " did not end within " + atMost);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static final LeaderEventPublisher NO_EVENTS = new LeaderEventPublisher() {
        @Override
        public void publishOnGranted(Object source, Context context, String role) {
        }

        @Override
        public void publishOnRevoked(Object source, Context context, String role) {
        }

        @Override
        public void publishOnFailedToAcquire(Object source, Context context, String role) {
        }
    };
}
