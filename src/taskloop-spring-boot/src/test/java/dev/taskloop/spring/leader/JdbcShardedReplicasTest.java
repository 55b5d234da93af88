package dev.taskloop.spring.leader;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link ShardedReplicasContract} on the JDBC backend, against the real PostgreSQL server the tests
 * start ({@link EmbeddedPostgresServer}): each replica has a connection pool (HikariCP, as Spring
 * Boot gives applications) through its own proxy; the lock and fencing tables are made afresh for
 * each test from the DDL the README gives.
 */
class JdbcShardedReplicasTest extends ShardedReplicasContract {

    @Configuration(proxyBeanMethods = false)
    static class PooledJdbcBackend {
        @Bean(destroyMethod = "close")
        DataSource dataSource(@Value("${test.db-port}") int port, @Value("${test.replica}") String replica) {
            return pool(port, replica);
        }
    }

    static HikariDataSource pool(int port, String name) {
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSource(EmbeddedPostgresServer.dataSource("127.0.0.1", port));
        pool.setPoolName("db-" + name);
        pool.setMaximumPoolSize(4);
        pool.setConnectionTimeout(1000);
        return pool;
    }

    @BeforeEach
    void freshTables() {
        EmbeddedPostgresServer.freshLockTables();
    }

    @Override
    String backend() {
        return "jdbc";
    }

    @Override
    int upstreamPort() {
        return EmbeddedPostgresServer.port();
    }

    @Override
    Replica start(String name, StallingProxy proxy) {
        return Replica.startSharded(name, PooledJdbcBackend.class, Map.of("taskloop.leader.backend", "jdbc", "test.db-port", proxy.port()));
    }
}
