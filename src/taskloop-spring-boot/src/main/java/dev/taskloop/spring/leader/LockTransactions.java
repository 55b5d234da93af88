package dev.taskloop.spring.leader;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * The transactions of the JDBC lock registry. A replica cut off from the database in the middle of
 * one (a renewal's {@code UPDATE} done, its {@code COMMIT} never sent) leaves the lock row locked by an
 * open transaction: every other replica's attempt to take the lock then waits on that row lock until
 * the server drops the session, which without a timeout happens only when TCP keepalive gives up
 * (hours). So the hand-over that the lease promises would never come.
 *
 * <p>On PostgreSQL each lock transaction therefore starts with
 * {@code SET LOCAL idle_in_transaction_session_timeout}: the server ends a session that leaves such a
 * transaction idle for longer than the renew deadline (by which the cut-off replica has stopped
 * leading anyway), rolling it back and releasing the row. {@code SET LOCAL} lasts until the end of the
 * transaction, so the pooled connection returns to the application unchanged. Other databases need
 * their own server-side timeout for idle transactions (README, "Running on several replicas").
 */
final class LockTransactions extends DataSourceTransactionManager {

    private final long idleMillis;
    private volatile @Nullable Boolean postgres;

    LockTransactions(DataSource dataSource, Duration idleInTransaction) {
        super(dataSource);
        this.idleMillis = Math.max(1, idleInTransaction.toMillis());
    }

    @Override
    protected void prepareTransactionalConnection(Connection con, TransactionDefinition definition) throws SQLException {
        super.prepareTransactionalConnection(con, definition);
        Boolean pg = postgres;
        if (pg == null) {
            pg = "PostgreSQL".equalsIgnoreCase(con.getMetaData().getDatabaseProductName());
            postgres = pg;
        }
        if (pg) {
            try (Statement s = con.createStatement()) {
                s.execute("SET LOCAL idle_in_transaction_session_timeout = " + idleMillis);
            }
        }
    }
}
