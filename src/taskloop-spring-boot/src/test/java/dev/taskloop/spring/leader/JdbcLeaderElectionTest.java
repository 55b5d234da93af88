package dev.taskloop.spring.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.CancelReason;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The JDBC backend against a real PostgreSQL server that the test starts itself
 * ({@link EmbeddedPostgresServer}, shared by the JVM), with two replicas as two application contexts,
 * each reaching the database through its own {@link StallingProxy}. Lease 3 s, renew deadline 2 s,
 * retry period 250 ms.
 */
class JdbcLeaderElectionTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration RENEW_DEADLINE = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofMillis(250);

    /** The replicas' data sources: through their proxy, counting the connections taken (one per lock attempt). */
    static final Map<String, AtomicInteger> connections = new java.util.concurrent.ConcurrentHashMap<>();

    @Configuration(proxyBeanMethods = false)
    static class JdbcBackend {
        @Bean
        DataSource dataSource(@Value("${test.db-port}") int port, @Value("${test.replica}") String replica) {
            AtomicInteger counter = connections.computeIfAbsent(replica, r -> new AtomicInteger());
            return new DelegatingDataSource(EmbeddedPostgresServer.dataSource("127.0.0.1", port)) {
                @Override
                public Connection getConnection() throws SQLException {
                    counter.incrementAndGet();
                    return super.getConnection();
                }
            };
        }
    }

    private final JdbcTemplate admin = new JdbcTemplate(EmbeddedPostgresServer.dataSource("127.0.0.1", EmbeddedPostgresServer.port()));
    private final StallingProxy toDbA = new StallingProxy(EmbeddedPostgresServer.port());
    private final StallingProxy toDbB = new StallingProxy(EmbeddedPostgresServer.port());
    private Timeline timeline;
    private Replica a;
    private Replica b;

    @BeforeEach
    void freshLockTable() {
        EmbeddedPostgresServer.freshLockTables();
        timeline = Timeline.reset();
        connections.clear();
    }

    @AfterEach
    void stop() {
        toDbA.close(); // first, so that no replica is left waiting on a stalled connection
        toDbB.close();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private Replica replica(String name, StallingProxy proxy) {
        return Replica.start(name, JdbcBackend.class, Map.of("taskloop.leader.backend", "jdbc", "test.db-port", proxy.port()));
    }

    /** Starts A, waits until it runs the singleton, starts B and waits until B has tried to acquire the lock five times. */
    private void aLeadsAndBStandsBy() throws InterruptedException {
        a = replica("replica-a", toDbA);
        timeline.await("replica-a", "started", Duration.ofSeconds(20));
        b = replica("replica-b", toDbB);
        int before = connections.get("replica-b").get();
        Timeline.awaitTrue("replica-b tried to acquire the lock 5 times", Duration.ofSeconds(10),
                () -> connections.get("replica-b").get() >= before + 5);

        assertThat(a.isLeader()).isTrue();
        assertThat(a.report().status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(b.isLeader()).isFalse();
        assertThat(b.report().status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThat(timeline.story()).containsExactly("replica-a started");
        assertThat(admin.queryForObject("SELECT COUNT(*) FROM INT_LOCK", Integer.class)).as("one lock row").isEqualTo(1);
    }

    @Test
    void exactlyOneReplicaRunsTheSingletonAndWhenTheLeaderStopsTheOtherTakesOverAfterItsFinallyRan() throws Exception {
        aLeadsAndBStandsBy();

        long stop = System.nanoTime();
        a.close();
        long closed = System.nanoTime();
        Timeline.Event bStarted = timeline.await("replica-b", "started", LEASE.plusSeconds(5));

        Timeline.Event aFinally = timeline.events().stream().filter(e -> e.replica().equals("replica-a") && e.what().equals("finally"))
                .findFirst().orElseThrow();
        assertThat(timeline.story()).containsExactly("replica-a started", "replica-a finally", "replica-b started");
        assertThat(timeline.maxRunning()).as("singletons running at once").isEqualTo(1);
        Duration takeover = Duration.ofNanos(bStarted.nanos() - aFinally.nanos());
        System.out.printf("JDBC graceful hand-over: A's finally -> B started %d ms (A's close() took %d ms)%n",
                takeover.toMillis(), Duration.ofNanos(closed - stop).toMillis());
        assertThat(takeover).as("the stopped leader deleted its lock row: the other takes over at its next try, well within the lease")
                .isLessThan(LEASE);
        assertThat(b.isLeader()).isTrue();
        assertThat(b.report().status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertFencedOff(timeline.await("replica-a", "started", Duration.ZERO).token(), bStarted.token());
    }

    /**
     * The new leader's fencing token is greater than the old one's, and a write conditional on it, as
     * the README shows, refuses the old leader's once the new one has written.
     */
    private void assertFencedOff(long oldToken, long newToken) {
        assertThat(oldToken).as("the first leader's token").isPositive();
        assertThat(newToken).as("the next leader's token").isGreaterThan(oldToken);
        admin.execute("DROP TABLE IF EXISTS report_state");
        admin.execute("CREATE TABLE report_state (id INT PRIMARY KEY, position BIGINT NOT NULL, fence BIGINT NOT NULL)");
        admin.update("INSERT INTO report_state VALUES (1, 0, 0)");
        String write = "UPDATE report_state SET position = ?, fence = ? WHERE id = 1 AND fence <= ?";
        assertThat(admin.update(write, 10, oldToken, oldToken)).as("the old leader writes while it leads").isEqualTo(1);
        assertThat(admin.update(write, 20, newToken, newToken)).as("the new leader writes").isEqualTo(1);
        assertThat(admin.update(write, 11, oldToken, oldToken)).as("the old leader's late write is refused").isZero();
        assertThat(admin.queryForObject("SELECT position FROM report_state WHERE id = 1", Long.class)).isEqualTo(20);
    }

    @Test
    void aLeaderCutOffFromTheDatabaseStopsItsSingletonWithinTheRenewDeadlineAndTheOtherStartsItOnlyOnceTheLeaseExpired() throws Exception {
        aLeadsAndBStandsBy();

        long cut = System.nanoTime();
        toDbA.stall(); // A's renewals now hang: no error reaches it, only time passes
        Timeline.Event aFinally = timeline.await("replica-a", "finally", RENEW_DEADLINE.plusSeconds(5));
        Timeline.Event bStarted = timeline.await("replica-b", "started", LEASE.plusSeconds(5));

        Duration stopped = Duration.ofNanos(aFinally.nanos() - cut);
        Duration takeover = Duration.ofNanos(bStarted.nanos() - cut);
        System.out.printf("JDBC partition: A stopped after %d ms, B started after %d ms (renew deadline %d ms, lease %d ms)%n",
                stopped.toMillis(), takeover.toMillis(), RENEW_DEADLINE.toMillis(), LEASE.toMillis());
        assertThat(stopped).as("A stops by itself at its renew deadline, counted from its last renewal").isLessThanOrEqualTo(RENEW_DEADLINE.plusMillis(1000));
        assertThat(takeover).as("B waits for the lease to expire (counted from A's last renewal, at most a retry period before the cut)")
                .isGreaterThanOrEqualTo(LEASE.minus(RETRY).minusMillis(100))
                .isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(2)).plusMillis(1000));
        assertThat(timeline.story()).containsExactly("replica-a started", "replica-a finally", "replica-b started");
        assertThat(timeline.maxRunning()).isEqualTo(1);
        assertThat(a.report().status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThat(a.report().task().snapshot().cancelReason())
                .isEqualTo(CancelReason.of(CancelOrigins.LEADERSHIP, "this replica lost the leadership of election 'report'"));
        assertFencedOff(timeline.await("replica-a", "started", Duration.ZERO).token(), bStarted.token());
    }

    @Test
    void aMissingLockTableStopsStartupWithTheTablesDdl() {
        admin.execute("DROP TABLE INT_LOCK");

        assertThatThrownBy(() -> replica("replica-a", toDbA))
                .hasStackTraceContaining("taskloop.leader.backend=jdbc keeps its locks in the table INT_LOCK, which cannot be read")
                .hasStackTraceContaining("e.g. for PostgreSQL: CREATE TABLE INT_LOCK (LOCK_KEY CHAR(36) NOT NULL");
        assertThat(timeline.story()).as("nothing ran").isEmpty();
    }

    @Test
    void aMissingFencingTableStopsStartupWithItsDdl() {
        admin.execute("DROP TABLE INT_LOCK_FENCE");

        assertThatThrownBy(() -> replica("replica-a", toDbA))
                .hasStackTraceContaining("keeps the fencing tokens of its singletons and shards in the table INT_LOCK_FENCE next to INT_LOCK,"
                        + " which cannot be read")
                .hasStackTraceContaining("CREATE TABLE INT_LOCK_FENCE (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, TOKEN BIGINT NOT NULL");
        assertThat(timeline.story()).as("nothing ran").isEmpty();
    }
}
