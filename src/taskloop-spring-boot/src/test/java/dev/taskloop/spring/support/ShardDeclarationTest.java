package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.SupervisedGroup;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.TaskDeclarationException;
import dev.taskloop.spring.leader.LeaderElection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code shards} attribute through the auto-configuration: what runs, placeholders, and the
 * startup failures (with their fixes) the bad-input catalogue does not show in full.
 */
class ShardDeclarationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class));

    static final List<String> trace = new CopyOnWriteArrayList<>();

    static class Poller {
        @BackgroundTask(name = "tenant-poller", shards = "${tenants.shards:3}")
        void poll(TaskContext ctx) {
            trace.add("shard " + ctx.shard().index() + " of " + ctx.shard().count() + ", token " + ctx.fencingToken());
            Async.sleep(Duration.ofDays(1));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PollerConfig {
        @Bean
        Poller poller() {
            return new Poller();
        }
    }

    @Test
    void withBackendNoneThisReplicaHoldsEveryShardAndRunsEachOnceAndThePlaceholderSaysHowMany() {
        trace.clear();
        runner.withUserConfiguration(PollerConfig.class).withPropertyValues("taskloop.leader.backend=none", "tenants.shards=5").run(context -> {
            DeclaredTaskRegistry declared = context.getBean(DeclaredTaskRegistry.class);
            Awaitility.await("every shard runs").atMost(Duration.ofSeconds(10)).until(() -> trace.size() == 5);
            assertThat(trace).containsExactlyInAnyOrder("shard 0 of 5, token 1", "shard 1 of 5, token 1", "shard 2 of 5, token 1",
                    "shard 3 of 5, token 1", "shard 4 of 5, token 1");
            assertThat(declared.shardedElections()).containsEntry("tenant-poller", 5);
            assertThat(declared.all()).extracting(DeclaredTask::name).containsExactly("tenant-poller-0", "tenant-poller-1", "tenant-poller-2",
                    "tenant-poller-3", "tenant-poller-4");
        });
    }

    /** A backend of the application's own that knows nothing of shards. */
    static class SingletonsOnly implements LeaderElection {
        @Override
        public String backend() {
            return "zookeeper";
        }

        @Override
        public String identity() {
            return "me";
        }

        @Override
        public void start(String election, Listener listener) {
        }

        @Override
        public void stop(String election) {
        }
    }

    @Test
    void aBackendThatCannotRunShardsStopsStartupNamingItAndTheChoices() {
        runner.withUserConfiguration(PollerConfig.class).withBean(SingletonsOnly.class).run(context ->
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(UnsupportedOperationException.class)
                        .hasMessage("the leader election backend 'zookeeper' (" + SingletonsOnly.class.getName() + ") cannot run sharded tasks"
                                + " (election 'tenant-poller', 3 shards); use taskloop.leader.backend=jdbc, kubernetes or none, or implement"
                                + " LeaderElection.startSharded"));
    }

    @Test
    void aShardedTaskWithoutAnAvailableBackendStopsStartupNamingTheChoices() {
        runner.withUserConfiguration(PollerConfig.class).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(TaskDeclarationException.class)
                .hasMessageStartingWith("Sharded tasks are declared (election 'tenant-poller', 3 shards) and cannot run: no leader election"
                        + " backend is available"));
    }

    static class LongestName {
        @BackgroundTask(name = "tenant-poller-of-every-region-and-every-continent-and-each-year", shards = "16")
        void poll() {
        }
    }

    @Test
    void aLeaseNamePrefixThatMakesTheShardsLeaseNamesTooLongStopsStartupWithTheLengthAndTheFix() {
        String prefix = "p".repeat(170) + "-";
        runner.withBean(LongestName.class).withPropertyValues("taskloop.leader.kubernetes.lease-name-prefix=" + prefix)
                .run(context -> assertThat(context.getStartupFailure()).rootCause().isInstanceOf(TaskDeclarationException.class)
                        .hasMessageStartingWith("@BackgroundTask method LongestName.poll() of bean 'shardDeclarationTest.LongestName' has"
                                + " shards = 16: the longest Lease name of its election would be '" + prefix + "tenant-poller-of-every-region-and-every-continent-and-each-year-member-")
                        .hasMessageContaining("(taskloop.leader.kubernetes.lease-name-prefix + name + '-member-' + 16 hex digits, 258 characters),"
                                + " over Kubernetes' limit of 253")
                        .hasMessageEndingWith("; shorten the task's name or taskloop.leader.kubernetes.lease-name-prefix by 5 characters"));
    }

    static class LongName {
        @BackgroundTask(name = "tenant-poller-for-every-tenant-of-every-region-of-every-continent-ever", shards = "16")
        void poll() {
        }
    }

    @Test
    void aNameThatCannotNameTheShardsLeasesStopsStartupNamingTheLeases() {
        runner.withBean(LongName.class).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("@BackgroundTask method LongName.poll() of bean 'shardDeclarationTest.LongName' has shards = 16, which names its"
                        + " election and its shards' Leases ('tenant-poller-for-every-tenant-of-every-region-of-every-continent-ever-0' to"
                        + " 'tenant-poller-for-every-tenant-of-every-region-of-every-continent-ever-15') after the task, but its name"
                        + " 'tenant-poller-for-every-tenant-of-every-region-of-every-continent-ever' (70 characters) is not a valid election name"
                        + " (1 to 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit); give the task such a"
                        + " name with the 'name' attribute, e.g. name = \"tenant-poller\""));
    }

    static class NamedLikeAShard {
        @BackgroundTask(name = "tenant-poller", shards = "4")
        void poll() {
        }

        @BackgroundTask(name = "cleanup", singleton = "tenant-poller-2")
        void cleanup() {
        }
    }

    @Test
    void aSingletonElectionNamedLikeAShardsLeaseStopsStartup() {
        runner.withBean(NamedLikeAShard.class).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(TaskDeclarationException.class)
                .hasMessageContaining("The singleton election 'tenant-poller-2' of NamedLikeAShard.cleanup()")
                .hasMessageContaining("has the name of a shard's lease of the sharded task or group declared by NamedLikeAShard.poll()")
                .hasMessageEndingWith("give the election another name"));
    }

    static class TakesAShardsName {
        @BackgroundTask(name = "tenant-poller", shards = "4")
        void poll() {
        }

        @BackgroundTask(name = "tenant-poller-3")
        void other() {
        }
    }

    @Test
    void aTaskNamedLikeAShardStopsStartupAsADuplicateName() {
        runner.withBean(TakesAShardsName.class).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(TaskDeclarationException.class)
                .hasMessageContaining("The name 'tenant-poller-3' is declared twice"));
    }

    @SupervisedGroup(name = "ingest", shards = "2")
    static class ShardedGroupAwaitingStart {
        @BackgroundTask(awaitStarted = true)
        void work() {
        }
    }

    @Test
    void aTaskOfAShardedGroupCannotAwaitStart() {
        runner.withBean(ShardedGroupAwaitingStart.class).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("sets awaitStarted, but the group is sharded (shards = 2)")
                .hasMessageEndingWith("remove awaitStarted, or make the group run on every replica"));
    }
}
