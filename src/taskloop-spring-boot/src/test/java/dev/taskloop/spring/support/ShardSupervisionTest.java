package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskloop.core.Async;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Strategy;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.leader.ManualLeaderElection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sharded tasks and groups through the lifecycle, in virtual time, with a backend the test drives:
 * each shard is a declared task of its own that follows its shard's grants, knows its shard and
 * fencing token, and tells the backend when it stood by.
 */
class ShardSupervisionTest {

    private final TestLoop test = TestLoop.create();
    private final ManualLeaderElection election = new ManualLeaderElection();
    private final Leadership leadership = new Leadership(election);
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** Where the bodies' finally blocks are recorded too, beside what the backend is told (see onStoodBy). */
    private volatile List<String> finallies = new CopyOnWriteArrayList<>();
    private TaskloopLifecycle lifecycle;

    @AfterEach
    void close() {
        if (lifecycle != null) {
            lifecycle.stop();
        }
        test.close();
    }

    /** A body that says which shard and token it runs with, ticks until cancelled, and says when its finally ran. */
    private TaskSpec.Body ticking(String name) {
        return ctx -> {
            events.add(name + " " + ctx.shard().index() + "/" + ctx.shard().count() + " started, token " + ctx.fencingToken());
            try {
                while (true) {
                    Async.sleep(Duration.ofSeconds(1));
                }
            } finally {
                events.add(name + " " + ctx.shard().index() + " finally");
                finallies.add(name + " " + ctx.shard().index() + " finally");
            }
        };
    }

    private TaskSpec sharded(String name, int shards) {
        return TaskSpec.builder(name).restart(Restart.ALWAYS).backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 0))
                .intensity(new RestartIntensity(5, Duration.ofMinutes(1))).shards(shards).body(ticking(name)).build();
    }

    private DeclaredTask shard(DeclaredTaskRegistry declared, String name) {
        return declared.find(name).orElseThrow();
    }

    private DeclaredTaskRegistry start(TaskSpec... specs) {
        DeclaredTaskRegistry declared = DeclaredTasksFixture.declare(specs);
        lifecycle = DeclaredTasksFixture.start(new LoopDirectory(List.of(test.loop()), test.loop()), declared, leadership);
        test.runCurrent();
        return declared;
    }

    @Test
    void eachShardIsADeclaredTaskThatRunsOnlyWhileThisReplicaHoldsItWithItsShardAndToken() {
        DeclaredTaskRegistry declared = start(sharded("tenant-poller", 4));

        assertThat(election.calls).containsExactly("start tenant-poller (4 shards)");
        assertThat(declared.all()).extracting(DeclaredTask::name)
                .containsExactly("tenant-poller-0", "tenant-poller-1", "tenant-poller-2", "tenant-poller-3");
        assertThat(declared.all()).extracting(DeclaredTask::status).containsOnly(DeclaredTask.Status.STANDBY);
        assertThat(declared.all()).extracting(DeclaredTask::election).containsOnly("tenant-poller");
        assertThat(declared.find("tenant-poller")).as("the declaration itself is no declared task").isEmpty();
        assertThat(declared.declaredName("tenant-poller-2")).isEqualTo("tenant-poller");
        assertThat(declared.shardedElections()).containsExactly(java.util.Map.entry("tenant-poller", 4));

        election.grantShard("tenant-poller", 0, 3);
        election.grantShard("tenant-poller", 2, 9);
        test.runCurrent();

        assertThat(events).containsExactlyInAnyOrder("tenant-poller 0/4 started, token 3", "tenant-poller 2/4 started, token 9");
        assertThat(leadership.ownedShards("tenant-poller")).containsExactly(0, 2);
        DeclaredTask two = shard(declared, "tenant-poller-2");
        assertThat(two.status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(two.shard()).isEqualTo(new TaskContext.Shard(2, 4));
        assertThat(two.isLeader()).isTrue();
        assertThat(two.fencingToken()).isEqualTo(9);
        assertThat(two.task().name()).isEqualTo("tenant-poller-2");
        assertThat(shard(declared, "tenant-poller-1").status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThat(shard(declared, "tenant-poller-1").isLeader()).isFalse();
        assertThat(declared.shardsOf("tenant-poller")).hasSize(4);
        assertThat(leadership.handovers("tenant-poller")).isEqualTo(new Leadership.Handovers(2, 0, 0));
    }

    @Test
    void aShardGivenUpIsCancelledItsFinallyRunsAndOnlyThenTheBackendHearsItStoodBy() {
        DeclaredTaskRegistry declared = start(sharded("tenant-poller", 2));
        election.grantShard("tenant-poller", 1, 5);
        test.advanceTimeBy(Duration.ofMillis(2500));
        DeclaredTask one = shard(declared, "tenant-poller-1");
        var firstTerm = one.task();

        // The shard's task runs on its own as soon as it is woken: its finally and the backend's call are ordered in one timeline.
        List<String> timeline = new CopyOnWriteArrayList<>();
        election.onStoodBy = timeline::add;
        finallies = timeline;
        election.revokeShard("tenant-poller", 1, false);
        test.runCurrent();

        assertThat(timeline).as("the backend hears it stood by only after its finally ran")
                .containsExactly("tenant-poller 1 finally", "stood by tenant-poller 1");

        assertThat(events).containsExactly("tenant-poller 1/2 started, token 5", "tenant-poller 1 finally");
        assertThat(election.calls).containsExactly("start tenant-poller (2 shards)", "stood by tenant-poller 1");
        assertThat(one.status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThat(firstTerm.snapshot().cancelReason()).isEqualTo(CancelReason.of(CancelOrigins.LEADERSHIP,
                "this replica lost the leadership of shard 1 of election 'tenant-poller'"));
        assertThat(leadership.handovers("tenant-poller")).isEqualTo(new Leadership.Handovers(1, 1, 0));

        election.grantShard("tenant-poller", 1, 6);
        test.runCurrent();
        assertThat(events).last().isEqualTo("tenant-poller 1/2 started, token 6");
        assertThat(one.fencingToken()).isEqualTo(6);
    }

    @Test
    void aStandByOvertakenByANewGrantIsNotReportedSoTheRunningShardIsNeverReleased() {
        DeclaredTaskRegistry declared = start(sharded("tenant-poller", 1));
        election.grantShard("tenant-poller", 0, 1);
        test.runCurrent();

        // Lost at the renew deadline and renewed after all, before the unit could stand by: both in one callback,
        // which holds the loop, so that the shard's follower (woken at once otherwise) sees the two turns together.
        test.loop().callSoon(() -> {
            election.revokeShard("tenant-poller", 0, true);
            election.grantShard("tenant-poller", 0, 1);
        });
        test.runCurrent();

        assertThat(events).containsExactly("tenant-poller 0/1 started, token 1", "tenant-poller 0 finally",
                "tenant-poller 0/1 started, token 1");
        assertThat(election.calls).doesNotContain("stood by tenant-poller 0");
        assertThat(shard(declared, "tenant-poller-0").status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(leadership.handovers("tenant-poller")).isEqualTo(new Leadership.Handovers(2, 0, 1));
    }

    @Test
    void eachShardRestartsByTheTasksPolicyOnItsOwnAndAPeriodicShardRunsItsOwnSchedule() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        TaskSpec flaky = TaskSpec.builder("flaky").restart(Restart.ON_FAILURE).backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 0))
                .intensity(new RestartIntensity(5, Duration.ofMinutes(1))).shards(2).body(ctx -> {
                    attempts.add(ctx.shard().index() * 10 + ctx.attempt());
                    if (ctx.shard().index() == 1 && ctx.attempt() == 1) {
                        throw new IllegalStateException("shard 1 fails once");
                    }
                    Async.sleep(Duration.ofDays(1));
                }).build();
        List<String> runs = new CopyOnWriteArrayList<>();
        TaskSpec periodic = TaskSpec.builder("report").schedule(new dev.taskloop.spring.Schedule.FixedRate(Duration.ofSeconds(10), Duration.ZERO,
                dev.taskloop.spring.Overrun.SKIP)).shards(2).body(ctx -> runs.add(ctx.shard().index() + ":" + ctx.run())).build();
        DeclaredTaskRegistry declared = start(flaky, periodic);
        election.grantShard("flaky", 0, 1);
        election.grantShard("flaky", 1, 1);
        election.grantShard("report", 1, 1);
        test.advanceTimeBy(Duration.ofSeconds(25));

        assertThat(attempts).containsExactlyInAnyOrder(1, 11, 12);
        assertThat(shard(declared, "flaky-1").restarts()).isEqualTo(1);
        assertThat(shard(declared, "flaky-0").restarts()).isZero();
        assertThat(shard(declared, "flaky-1").status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(runs).as("only the shard held runs, once per slot").containsExactly("1:1", "1:2", "1:3");
    }

    @Test
    void aShardedGroupRunsOneCopyOfTheGroupPerShardHeld() {
        GroupSpec group = GroupSpec.builder("ingest").strategy(Strategy.ONE_FOR_ALL).intensity(new RestartIntensity(5, Duration.ofMinutes(1)))
                .tasks(TaskSpec.builder("producer").body(ticking("producer")).build(), TaskSpec.builder("consumer").body(ticking("consumer")).build())
                .shards(3).build();
        DeclaredTaskRegistry declared = new DeclaredTaskRegistry();
        declared.add(group, new DeclaredTaskRegistry.Origin("fixture", "class Ingest"), List.of(
                new DeclaredTaskRegistry.Origin("fixture", "producer()"), new DeclaredTaskRegistry.Origin("fixture", "consumer()")));
        lifecycle = DeclaredTasksFixture.start(new LoopDirectory(List.of(test.loop()), test.loop()), declared, leadership);
        test.runCurrent();

        assertThat(declared.all()).extracting(DeclaredTask::name).containsExactly("producer-0", "consumer-0", "producer-1", "consumer-1",
                "producer-2", "consumer-2");
        assertThat(declared.all()).extracting(DeclaredTask::group).containsExactly("ingest-0", "ingest-0", "ingest-1", "ingest-1", "ingest-2",
                "ingest-2");
        assertThat(declared.declaredName("consumer-2")).isEqualTo("consumer");

        election.grantShard("ingest", 1, 4);
        test.runCurrent();

        assertThat(events).containsExactlyInAnyOrder("producer 1/3 started, token 4", "consumer 1/3 started, token 4");
        assertThat(declared.find("producer-1").orElseThrow().status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(declared.find("producer-0").orElseThrow().status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThat(declared.shardsOf("producer")).extracting(DeclaredTask::name).containsExactly("producer-0", "producer-1", "producer-2");
    }

    @Test
    void resigningStopsEveryShardRunsItsFinallyThenStopsTheCampaign() {
        DeclaredTaskRegistry declared = start(sharded("tenant-poller", 2));
        election.grantShard("tenant-poller", 0, 1);
        election.grantShard("tenant-poller", 1, 1);
        test.runCurrent();

        String report = leadership.resign(Duration.ofSeconds(5));

        assertThat(report).isEqualTo("left 1 election(s) ['tenant-poller']");
        assertThat(events).contains("tenant-poller 0 finally", "tenant-poller 1 finally");
        assertThat(election.calls).last().isEqualTo("stop tenant-poller");
        assertThat(declared.all()).extracting(DeclaredTask::status).containsOnly(DeclaredTask.Status.STOPPED);
        assertThat(shard(declared, "tenant-poller-0").task().snapshot().cancelReason()).isEqualTo(CancelReason.of(CancelOrigins.LEADERSHIP,
                "this replica resigns the leadership of shard 0 of election 'tenant-poller': the application is stopping"));
    }

    @Test
    void aSingletonsTermCarriesTheGrantsFencingTokenAndATaskOnEveryReplicaHasNone() {
        List<Long> tokens = new CopyOnWriteArrayList<>();
        List<String> refusals = new CopyOnWriteArrayList<>();
        TaskSpec report = DeclaredTasksFixture.singleton("report", "report", ctx -> {
            tokens.add(ctx.fencingToken());
            assertThat(ctx.shard()).isEqualTo(TaskContext.Shard.WHOLE);
            Async.sleep(Duration.ofDays(1));
        });
        TaskSpec everywhere = DeclaredTasksFixture.continuous("everywhere", Restart.NEVER, ctx -> {
            try {
                ctx.fencingToken();
            } catch (IllegalStateException e) {
                refusals.add(e.getMessage());
            }
        });
        DeclaredTaskRegistry declared = start(report, everywhere);

        election.grant("report", 41);
        test.runCurrent();
        election.revoke("report");
        election.grant("report", 42);
        test.runCurrent();

        assertThat(tokens).containsExactly(41L, 42L);
        assertThat(declared.find("report").orElseThrow().fencingToken()).isEqualTo(42);
        assertThat(refusals).containsExactly("task 'everywhere' has no fencing token: only singletons (singleton = ...) and sharded tasks"
                + " (shards = ...) run under a lease");
        assertThat(declared.find("everywhere").orElseThrow().fencingToken()).isNull();
    }

    @Test
    void aBackendThatGivesNoTokenMakesFencingTokenSaySo() {
        List<String> refusals = new CopyOnWriteArrayList<>();
        start(DeclaredTasksFixture.singleton("report", "report", ctx -> {
            try {
                ctx.fencingToken();
            } catch (IllegalStateException e) {
                refusals.add(e.getMessage());
            }
            Async.sleep(Duration.ofDays(1));
        }));

        election.grant("report");
        test.runCurrent();

        assertThat(refusals).singleElement().asString().startsWith("task 'report' runs under election 'report', but its leader election"
                + " backend gives no fencing token");
    }

    @Test
    void aShardIndexOutOfRangeFromTheBackendIsRefused() {
        start(sharded("tenant-poller", 2));

        assertThatThrownBy(() -> election.grantShard("tenant-poller", 2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("election 'tenant-poller' has shards 0 to 1, not 2");
    }
}
