package dev.taskloop.spring.leader;

import java.time.LocalDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fencing tokens of the JDBC backend: a counter per lock in the companion table
 * {@code <prefix>LOCK_FENCE} ({@code LOCK_KEY}, {@code REGION}, {@code TOKEN}), so that Spring
 * Integration's lock table stays as its DDL made it. {@link #next} draws the next token of a lock
 * this replica holds, in the caller's transaction and conditional on the lock row: a replica whose
 * lock expired and was taken draws nothing, so a token drawn is always greater than every token of
 * an earlier holder of the lock (the counter only grows, and a holder draws after it acquired).
 */
final class JdbcFence {

    private final JdbcTemplate jdbc;
    private final String lockTable;
    private final String fenceTable;

    JdbcFence(JdbcTemplate jdbc, String tablePrefix) {
        this.jdbc = jdbc;
        this.lockTable = tablePrefix + "LOCK";
        this.fenceTable = tablePrefix + "LOCK_FENCE";
    }

    /** The companion table's DDL (PostgreSQL, H2, MySQL). */
    static String ddl(String tablePrefix) {
        return "CREATE TABLE " + tablePrefix + "LOCK_FENCE (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, TOKEN BIGINT NOT NULL,"
                + " CONSTRAINT " + tablePrefix + "LOCK_FENCE_PK PRIMARY KEY (LOCK_KEY, REGION))";
    }

    /**
     * In the caller's transaction: the next fencing token of the lock {@code lockKey} in {@code region},
     * if {@code clientId} holds it unexpired at {@code now} (UTC, as Spring Integration writes it);
     * 0 if it does not. The first token of a lock is 1.
     *
     * @throws org.springframework.dao.DataAccessException if the database refuses (e.g. two first holders
     *     inserting the counter at once: the loser's transaction is to be rolled back)
     */
    long next(String region, String lockKey, String clientId, LocalDateTime now) {
        int updated = jdbc.update("UPDATE " + fenceTable + " SET TOKEN = TOKEN + 1 WHERE REGION = ? AND LOCK_KEY = ? AND EXISTS (SELECT 1 FROM "
                + lockTable + " L WHERE L.REGION = ? AND L.LOCK_KEY = ? AND L.CLIENT_ID = ? AND L.EXPIRED_AFTER >= ?)",
                region, lockKey, region, lockKey, clientId, now);
        if (updated == 0) {
            Integer holds = jdbc.queryForObject("SELECT COUNT(*) FROM " + lockTable
                    + " WHERE REGION = ? AND LOCK_KEY = ? AND CLIENT_ID = ? AND EXPIRED_AFTER >= ?", Integer.class, region, lockKey, clientId, now);
            if (holds == null || holds == 0) {
                return 0;
            }
            List<Long> existing = jdbc.queryForList("SELECT TOKEN FROM " + fenceTable + " WHERE REGION = ? AND LOCK_KEY = ?", Long.class,
                    region, lockKey);
            if (!existing.isEmpty()) {
                return 0; // it held the lock at the check, not at the update: taken in between
            }
            jdbc.update("INSERT INTO " + fenceTable + " (LOCK_KEY, REGION, TOKEN) VALUES (?, ?, 1)", lockKey, region);
            return 1;
        }
        Long token = jdbc.queryForObject("SELECT TOKEN FROM " + fenceTable + " WHERE REGION = ? AND LOCK_KEY = ?", Long.class, region, lockKey);
        return token == null ? 0 : token;
    }
}
