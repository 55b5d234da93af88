package dev.taskloop.spring.leader;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A sharded election's leases in Spring Integration's lock table, written the way its
 * {@code DefaultLockRepository} writes them (so the table needs nothing new):
 * <ul>
 *   <li>shard {@code i}: the row of region {@code DEFAULT} (the singletons' region) and key
 *       {@code UUID(<election>-<i>)}, as {@code JdbcLockRegistry} would name the lock
 *       {@code <election>-<i>}; {@code CLIENT_ID} is this replica (a random UUID per campaign),
 *       {@code EXPIRED_AFTER} the lease's end;</li>
 *   <li>membership: a row per replica in region {@code taskloop-members:<election>}, keyed by the
 *       replica's client id, with the same expiry; rows expired for a lease duration are deleted by
 *       whichever replica joins next.</li>
 * </ul>
 * Taking a shard, and drawing its fencing token ({@link JdbcFence}), is one transaction; so a token
 * belongs to one acquisition. Times are UTC {@code LocalDateTime}s of this replica's clock, as Spring
 * Integration's; clock skew between replicas shortens or lengthens the leases by as much.
 */
final class JdbcShardLeases implements ShardLeases {

    /** Spring Integration's default region, where the singletons' locks are. */
    static final String REGION = "DEFAULT";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final JdbcFence fence;
    private final String table;
    private final String election;
    private final int shards;
    private final Duration lease;
    private final String clientId = UUID.randomUUID().toString();
    private final String members;
    private final String[] keys;
    private final Map<String, Integer> byKey = new HashMap<>();

    JdbcShardLeases(JdbcTemplate jdbc, TransactionTemplate transactions, String tablePrefix, String election, int shards, Duration lease) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.fence = new JdbcFence(jdbc, tablePrefix);
        this.table = tablePrefix + "LOCK";
        this.election = election;
        this.shards = shards;
        this.lease = lease;
        this.members = membersRegion(election);
        this.keys = new String[shards];
        for (int i = 0; i < shards; i++) {
            keys[i] = key(ShardNames.shard(election, i));
            byKey.put(keys[i], i);
        }
    }

    /** The region of the membership rows of {@code election} (at most 17 + 63 characters: the column holds 100). */
    static String membersRegion(String election) {
        return "taskloop-members:" + election;
    }

    /** The lock key Spring Integration's {@code JdbcLockRegistry} gives the lock named {@code name}. */
    static String key(String name) {
        return UUIDConverter.getUUID(name).toString();
    }

    @Override
    public String me() {
        return clientId;
    }

    @Override
    public void join() {
        LocalDateTime now = now();
        transactions.executeWithoutResult(status -> {
            int renewed = jdbc.update("UPDATE " + table + " SET EXPIRED_AFTER = ? WHERE REGION = ? AND LOCK_KEY = ? AND CLIENT_ID = ?",
                    now.plus(lease), members, clientId, clientId);
            if (renewed == 0) {
                jdbc.update("INSERT INTO " + table + " (REGION, LOCK_KEY, CLIENT_ID, CREATED_DATE, EXPIRED_AFTER) VALUES (?, ?, ?, ?, ?)",
                        members, clientId, clientId, now, now.plus(lease));
            }
        });
        jdbc.update("DELETE FROM " + table + " WHERE REGION = ? AND EXPIRED_AFTER < ?", members, now.minus(lease));
    }

    @Override
    public View read() {
        LocalDateTime now = now();
        HashSet<String> live = new HashSet<>();
        LocalDateTime[] next = {null};
        jdbc.query("SELECT CLIENT_ID, EXPIRED_AFTER FROM " + table + " WHERE REGION = ? AND EXPIRED_AFTER >= ?", rs -> {
            String member = rs.getString(1).trim();
            live.add(member);
            if (!member.equals(clientId)) {
                next[0] = earliest(next[0], rs.getTimestamp(2).toLocalDateTime());
            }
        }, members, now);
        @Nullable String[] holders = new String[shards];
        Object[] args = new Object[shards + 1];
        args[0] = REGION;
        System.arraycopy(keys, 0, args, 1, shards);
        jdbc.query("SELECT LOCK_KEY, CLIENT_ID, EXPIRED_AFTER FROM " + table + " WHERE REGION = ? AND LOCK_KEY IN ("
                + "?, ".repeat(shards - 1) + "?)", rs -> {
                    Integer i = byKey.get(rs.getString(1).trim());
                    String holder = rs.getString(2);
                    LocalDateTime expires = rs.getTimestamp(3).toLocalDateTime();
                    if (i != null && holder != null && !expires.isBefore(now)) {
                        holders[i] = holder.trim();
                        if (!holders[i].equals(clientId)) {
                            next[0] = earliest(next[0], expires);
                        }
                    }
                }, args);
        return new View(live, holders, next[0] == null ? null : Duration.between(now, next[0]));
    }

    private static LocalDateTime earliest(@Nullable LocalDateTime a, LocalDateTime b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    @Override
    public OptionalLong acquire(int shard) {
        LocalDateTime now = now();
        Long token = transactions.execute(status -> {
            int taken = jdbc.update("UPDATE " + table + " SET CLIENT_ID = ?, CREATED_DATE = ?, EXPIRED_AFTER = ? WHERE REGION = ? AND LOCK_KEY = ?"
                    + " AND (CLIENT_ID = ? OR EXPIRED_AFTER < ?)", clientId, now, now.plus(lease), REGION, keys[shard], clientId, now);
            if (taken == 0) {
                try {
                    jdbc.update("INSERT INTO " + table + " (REGION, LOCK_KEY, CLIENT_ID, CREATED_DATE, EXPIRED_AFTER) VALUES (?, ?, ?, ?, ?)",
                            REGION, keys[shard], clientId, now, now.plus(lease));
                } catch (DuplicateKeyException held) {
                    status.setRollbackOnly(); // another replica holds it (on PostgreSQL the transaction is aborted anyway)
                    return 0L;
                }
            }
            long t = fence.next(REGION, keys[shard], clientId, now);
            if (t == 0) {
                status.setRollbackOnly();
            }
            return t;
        });
        return token == null || token == 0 ? OptionalLong.empty() : OptionalLong.of(token);
    }

    @Override
    public boolean renew(int shard) {
        return jdbc.update("UPDATE " + table + " SET EXPIRED_AFTER = ? WHERE REGION = ? AND LOCK_KEY = ? AND CLIENT_ID = ?",
                now().plus(lease), REGION, keys[shard], clientId) == 1;
    }

    @Override
    public void release(int shard) {
        jdbc.update("DELETE FROM " + table + " WHERE REGION = ? AND LOCK_KEY = ? AND CLIENT_ID = ?", REGION, keys[shard], clientId);
    }

    @Override
    public void leave() {
        jdbc.update("DELETE FROM " + table + " WHERE REGION = ? AND LOCK_KEY = ? AND CLIENT_ID = ?", members, clientId, clientId);
    }

    @Override
    public String describe(int shard) {
        return "lock '" + ShardNames.shard(election, shard) + "' (row " + keys[shard] + " of " + table + ")";
    }

    private static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }
}
