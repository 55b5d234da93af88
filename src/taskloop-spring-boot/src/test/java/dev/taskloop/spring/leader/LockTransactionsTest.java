package dev.taskloop.spring.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Against a real PostgreSQL: a lock transaction left open by a replica that went silent after its
 * {@code UPDATE} (cut off before its {@code COMMIT}) no longer holds the lock row for good. The server
 * ends that session after the idle timeout, and another replica's {@code UPDATE} of the row, which
 * waited on the row lock, goes through. Without {@link LockTransactions} it waits as long as the silent
 * transaction stays open (here: until the test lets it go, after its bounded wait failed).
 */
class LockTransactionsTest {

    private static final Duration IDLE = Duration.ofMillis(300);

    private final DataSource dataSource = EmbeddedPostgresServer.dataSource("127.0.0.1", EmbeddedPostgresServer.port());
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);

    @BeforeEach
    void table() {
        jdbc.execute("DROP TABLE IF EXISTS LT_LOCK");
        jdbc.execute(JdbcLeaderElection.ddl("LT_"));
        jdbc.update("INSERT INTO LT_LOCK VALUES ('k', 'r', 'a', now(), now())");
    }

    @AfterEach
    void drop() {
        replicas.shutdownNow();
        jdbc.execute("DROP TABLE IF EXISTS LT_LOCK");
    }

    /** Each replica on a thread of its own (the common pool may have a single worker here). */
    private final ExecutorService replicas = Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void aLockTransactionLeftIdleIsEndedByTheServerSoThatAnotherReplicaCanUpdateTheRow() throws Exception {
        CountDownLatch updatedBySilentReplica = new CountDownLatch(1);
        CountDownLatch otherReplicaDone = new CountDownLatch(1);
        CompletableFuture<Throwable> silent = CompletableFuture.supplyAsync(() -> {
            try {
                new TransactionTemplate(new LockTransactions(dataSource, IDLE)).executeWithoutResult(status -> {
                    jdbc.update("UPDATE LT_LOCK SET EXPIRED_AFTER = now() WHERE LOCK_KEY = 'k'");
                    updatedBySilentReplica.countDown();
                    try {
                        // The replica goes silent inside its transaction: the behaviour under test.
                        otherReplicaDone.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        }, replicas);
        assertThat(updatedBySilentReplica.await(10, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        JdbcTemplate other = new JdbcTemplate(dataSource);
        CompletableFuture<Integer> update = CompletableFuture.supplyAsync(
                () -> other.update("UPDATE LT_LOCK SET CLIENT_ID = 'b' WHERE LOCK_KEY = 'k'"), replicas);
        Integer rows;
        try {
            rows = update.get(10, TimeUnit.SECONDS);
        } finally {
            otherReplicaDone.countDown();
        }
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(rows).as("the other replica updated the lock row").isEqualTo(1);
        assertThat(waitedMs).as("it waited about the idle timeout (%d ms), not for the silent one", IDLE.toMillis())
                .isLessThan(4_000);
        assertThat(silent.get(10, TimeUnit.SECONDS)).as("the silent replica's transaction was ended by the server").isNotNull();
        assertThat(jdbc.queryForObject("SELECT trim(CLIENT_ID) FROM LT_LOCK WHERE LOCK_KEY = 'k'", String.class)).isEqualTo("b");
        assertThat(jdbc.queryForObject("SHOW idle_in_transaction_session_timeout", String.class))
                .as("the application's sessions are left as they were").isEqualTo("0");
    }
}
