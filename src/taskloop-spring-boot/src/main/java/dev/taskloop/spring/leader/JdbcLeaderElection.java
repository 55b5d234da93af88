package dev.taskloop.spring.leader;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
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
 * <p>The table is the application's to create (Flyway, Liquibase, or Spring Integration's
 * {@code org/springframework/integration/jdbc/schema-*.sql}); {@link #start} fails with its DDL if it is
 * missing. Expiry is computed from each replica's own clock: skew between replicas shortens or
 * lengthens the lease by as much.
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

    @Override
    public void start(String election, Listener listener) {
        LeaseCampaign campaign = new LeaseCampaign(election, "jdbc", listener, timings.renewDeadline(), scheduler);
        Threads threads = new Threads("taskloop-leader-jdbc-" + election);
        LockRegistryLeaderInitiator initiator;
        synchronized (this) {
            if (running.containsKey(election)) {
                throw new IllegalStateException("leader election '" + election + "' is already started");
            }
            LockRegistry<?> locks = registry();
            initiator = new LockRegistryLeaderInitiator(new RenewalRecording(locks, campaign), new CandidateFor(election, campaign));
            long retry = timings.retryPeriod().toMillis();
            initiator.setHeartBeatMillis(retry);
            initiator.setBusyWaitMillis(retry);
            initiator.setTaskExecutor(threads);
            initiator.setLeaderEventPublisher(NO_EVENTS);
            running.put(election, new Running(initiator, threads, campaign));
        }
        initiator.start();
    }

    @Override
    public void stop(String election) {
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
        scheduler.shutdownNow();
    }

    private JdbcLockRegistry registry() {
        if (registry == null) {
            checkTable();
            DefaultLockRepository repository = new DefaultLockRepository(dataSource);
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

    private void checkTable() {
        try {
            new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table(), Integer.class);
        } catch (BadSqlGrammarException e) {
            throw new IllegalStateException("taskloop.leader.backend=jdbc keeps its locks in the table " + table()
                    + ", which cannot be read (" + e.getMostSpecificCause().getMessage() + "). Create it (Flyway, Liquibase, or"
                    + " Spring Integration's org/springframework/integration/jdbc/schema-<database>.sql), e.g. for PostgreSQL: "
                    + ddl(tablePrefix) + "; or set taskloop.leader.jdbc.table-prefix to the prefix of an existing one", e);
        } catch (DataAccessException e) {
            log.warn("Leader election (jdbc): could not check the lock table " + table() + " (" + e.getMostSpecificCause()
                    + "); the elections will keep trying", e);
        }
    }

    /** The lock table's DDL (Spring Integration's, for PostgreSQL and H2). */
    public static String ddl(String tablePrefix) {
        return "CREATE TABLE " + tablePrefix + "LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36),"
                + " CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL, CONSTRAINT " + tablePrefix
                + "LOCK_PK PRIMARY KEY (LOCK_KEY, REGION))";
    }

    private record Running(LockRegistryLeaderInitiator initiator, Threads threads, LeaseCampaign campaign) {
    }

    /** Tells the campaign when the initiator made this replica the leader, and when it stopped. */
    private record CandidateFor(String election, LeaseCampaign campaign) implements Candidate {
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
            campaign.granted();
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
