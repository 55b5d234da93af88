package dev.taskloop.spring.leader;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names of a sharded election's leases, the same for every backend: shard {@code i} of election
 * {@code tenant-poller} is {@code tenant-poller-<i>} (a Kubernetes Lease named so after the
 * {@code lease-name-prefix}, or a lock row of that key), and each replica's membership is
 * {@code tenant-poller-member-<16 hex digits of the SHA-256 of its identity>} (a Lease; the JDBC
 * backend keeps it as a row of its own region instead).
 *
 * <p>Kubernetes object names are DNS subdomains of at most {@value #LEASE_NAME_LIMIT} characters, so
 * {@code <lease-name-prefix><election>-member-<16 hex>} must fit: {@link #longest} is what the
 * declaration checks. At most {@value #MAX_SHARDS} shards per task: each shard's lease is written
 * every retry period by the replica holding it, so a sharded task costs {@code shards / retry-period}
 * writes per second to the API server or the database, whatever the number of replicas.
 *
 * @since 0.1.0
 */
public final class ShardNames {

    /** The most shards one task or group may have. */
    public static final int MAX_SHARDS = 256;

    /** The longest Kubernetes object name (a DNS subdomain, RFC 1123). */
    public static final int LEASE_NAME_LIMIT = 253;

    private static final String MEMBER = "-member-";
    private static final int MEMBER_HASH_DIGITS = 16;

    private ShardNames() {
    }

    /** The lease of shard {@code index} of {@code election}: {@code <election>-<index>}. */
    public static String shard(String election, int index) {
        return election + "-" + index;
    }

    /** The membership lease of the replica {@code identity} in {@code election}. */
    public static String member(String election, String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return election + MEMBER + HexFormat.of().formatHex(digest).substring(0, MEMBER_HASH_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The length of the longest lease name of a sharded election with {@code shards} shards, after {@code prefix}. */
    public static int longest(String prefix, String election, int shards) {
        int shard = shard(election, Math.max(0, shards - 1)).length();
        int member = election.length() + MEMBER.length() + MEMBER_HASH_DIGITS;
        return prefix.length() + Math.max(shard, member);
    }

    /** Whether {@code name} is the membership lease name of some replica in {@code election}. */
    static boolean isMember(String election, String name) {
        return name.length() == election.length() + MEMBER.length() + MEMBER_HASH_DIGITS && name.startsWith(election + MEMBER);
    }

    /** The shard index {@code name} is the lease of in {@code election} (of {@code shards}), or -1. */
    static int indexOf(String election, int shards, String name) {
        if (!name.startsWith(election + "-")) {
            return -1;
        }
        String rest = name.substring(election.length() + 1);
        if (rest.isEmpty() || rest.length() > 3 || !rest.chars().allMatch(Character::isDigit) || (rest.length() > 1 && rest.charAt(0) == '0')) {
            return -1;
        }
        int i = Integer.parseInt(rest);
        return i < shards ? i : -1;
    }
}
