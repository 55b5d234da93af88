package dev.taskloop.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.leader.ManualLeaderElection;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.DeclaredTasksFixture;
import dev.taskloop.spring.support.LoopDirectory;
import dev.taskloop.spring.support.TaskloopLifecycle;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code taskloop.leader}: one series per election of the declared singletons, 1 while this replica
 * leads it; {@code taskloop.shards.owned} and {@code taskloop.shards.handovers} per sharded election.
 */
class LeaderGaugeTest {

    private final EventLoop loop = EventLoop.create();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ManualLeaderElection election = new ManualLeaderElection();
    private TaskloopMetrics metrics;
    private TaskloopLifecycle lifecycle;

    @AfterEach
    void close() {
        if (lifecycle != null) {
            lifecycle.stop();
        }
        if (metrics != null) {
            metrics.close();
        }
        loop.close();
    }

    @Test
    void theGaugeIsOneWhileThisReplicaLeadsTheElectionAndZeroWhileItStandsBy() {
        DeclaredTaskRegistry declared = DeclaredTasksFixture.declare(
                DeclaredTasksFixture.singleton("report", "report", ctx -> Async.sleep(Duration.ofDays(1))),
                DeclaredTasksFixture.singleton("digest", "billing", ctx -> Async.sleep(Duration.ofDays(1))),
                DeclaredTasksFixture.singleton("invoices", "billing", ctx -> Async.sleep(Duration.ofDays(1))),
                DeclaredTasksFixture.continuous("everywhere", dev.taskloop.spring.Restart.ALWAYS, ctx -> Async.sleep(Duration.ofDays(1))));
        metrics = new TaskloopMetrics(new LoopDirectory(List.of(loop), loop), declared, null);
        metrics.bindTo(registry);

        assertThat(registry.find("taskloop.leader").gauges()).extracting(g -> g.getId().getTag("election"))
                .containsExactlyInAnyOrder("report", "billing");
        Gauge report = registry.get("taskloop.leader").tag("election", "report").gauge();
        assertThat(report.value()).as("before the elections started").isZero();
        assertThat(report.getId().getBaseUnit()).isEqualTo("replicas");
        assertThat(report.getId().getDescription()).startsWith("1 while this replica leads the leader election of singleton tasks");

        lifecycle = DeclaredTasksFixture.start(new LoopDirectory(List.of(loop), loop), declared, new Leadership(election));
        election.grant("report");

        assertThat(report.value()).isEqualTo(1);
        assertThat(registry.get("taskloop.leader").tag("election", "billing").gauge().value()).isZero();
        assertThat(registry.scrape()).contains("# HELP taskloop_leader_replicas 1 while this replica leads")
                .contains("taskloop_leader_replicas{election=\"report\"} 1.0")
                .contains("taskloop_leader_replicas{election=\"billing\"} 0.0");

        election.revoke("report");
        assertThat(report.value()).isZero();
    }

    @Test
    void theShardMetersCountTheShardsHeldAndWhatChangedHandsPerElectionAndTheShardsTimeCountsUnderTheTasksName() {
        DeclaredTaskRegistry declared = DeclaredTasksFixture.declare(dev.taskloop.spring.support.TaskSpec.builder("tenant-poller").shards(4)
                .restart(dev.taskloop.spring.Restart.ALWAYS).body(ctx -> Async.sleep(Duration.ofDays(1))).build());
        metrics = new TaskloopMetrics(new LoopDirectory(List.of(loop), loop), declared, null);
        metrics.bindTo(registry);
        Gauge owned = registry.get("taskloop.shards.owned").tag("election", "tenant-poller").gauge();
        assertThat(owned.value()).as("before the elections started").isZero();
        assertThat(owned.getId().getBaseUnit()).isEqualTo("shards");

        lifecycle = DeclaredTasksFixture.start(new LoopDirectory(List.of(loop), loop), declared, new Leadership(election));
        election.grantShard("tenant-poller", 0, 1);
        election.grantShard("tenant-poller", 2, 1);
        election.grantShard("tenant-poller", 3, 1);
        election.revokeShard("tenant-poller", 3, false);
        election.grantShard("tenant-poller", 1, 1);
        election.revokeShard("tenant-poller", 1, true);

        assertThat(owned.value()).isEqualTo(2);
        assertThat(registry.get("taskloop.shards.handovers").tag("event", "acquired").functionCounter().count()).isEqualTo(4);
        assertThat(registry.get("taskloop.shards.handovers").tag("event", "released").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("taskloop.shards.handovers").tag("event", "lost").functionCounter().count()).isEqualTo(1);
        assertThat(registry.find("taskloop.task.restarts").functionCounters()).extracting(c -> c.getId().getTag("task"))
                .as("one series for all the shards").containsExactly("tenant-poller");
        assertThat(registry.scrape()).contains("# HELP taskloop_shards_owned_shards Shards of a sharded task this replica holds")
                .contains("taskloop_shards_owned_shards{election=\"tenant-poller\"} 2.0")
                .contains("taskloop_shards_handovers_shards_total{election=\"tenant-poller\",event=\"acquired\"} 4.0");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("taskloop.task.asleep")
                .tag("task", "tenant-poller").functionCounter().count() > 0);
    }
}
