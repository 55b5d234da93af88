/**
 * Leader election for singleton tasks: the {@link dev.taskloop.spring.leader.LeaderElection} SPI, its
 * backends (JDBC through Spring Integration, Kubernetes Leases through fabric8, and none), and the
 * {@link dev.taskloop.spring.leader.Leadership} the singletons are seated in.
 */
@NullMarked
package dev.taskloop.spring.leader;

import org.jspecify.annotations.NullMarked;
