/**
 * Leader election for singleton tasks, and sharded elections for sharded tasks: the
 * {@link dev.taskloop.spring.leader.LeaderElection} SPI, its backends (JDBC through Spring Integration,
 * Kubernetes Leases through fabric8, and none), the {@link dev.taskloop.spring.leader.Leadership} the
 * singletons and shards are seated in, and the names of the shards' leases
 * ({@link dev.taskloop.spring.leader.ShardNames}). Each replica balances its shards by itself from
 * what the leases show ({@code ShardCampaign}, {@code ShardPlan}); every grant carries a fencing token.
 */
@NullMarked
package dev.taskloop.spring.leader;

import org.jspecify.annotations.NullMarked;
