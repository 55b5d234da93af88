package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.actuate.EndCause;
import dev.taskloop.core.Async;
import dev.taskloop.core.CancelReason;
import dev.taskloop.core.Task;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.CancelOrigins;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Strategy;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.leader.ManualLeaderElection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Singletons follow the leadership of their election, in virtual time, with a backend the test drives. */
class SingletonSupervisionTest {

    private final TestLoop test = TestLoop.create();
    private final ManualLeaderElection election = new ManualLeaderElection();
    private final Leadership leadership = new Leadership(election);
    private final Supervisor.Environment env = Supervisor.Environment.defaults();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        test.close();
    }

    /** A singleton that ticks every second until cancelled, and says when it starts and ends. */
    private TaskSpec ticker(String name, String singleton) {
        return TaskSpec.builder(name).restart(Restart.ALWAYS).backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 0))
                .intensity(new RestartIntensity(5, Duration.ofMinutes(1))).singleton(singleton).body(ctx -> {
                    events.add(name + " started (attempt " + ctx.attempt() + ")");
                    try {
                        while (true) {
                            Async.sleep(Duration.ofSeconds(1));
                        }
                    } finally {
                        events.add(name + " finally");
                    }
                }).build();
    }

    @Test
    void aSingletonStandsByAndDoesNotRunUntilThisReplicaLeadsItsElection() {
        SupervisedTask st = Supervisor.start(test.loop(), ticker("report", "report"), env, leadership.join("report", "report"));
        leadership.start();
        test.advanceTimeBy(Duration.ofMinutes(1));

        assertThat(st.status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThat(st.isLeader()).isFalse();
        assertThat(st.election()).isEqualTo("report");
        assertThat(events).isEmpty();

        election.grant("report");
        test.runCurrent();

        assertThat(st.status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(st.isLeader()).isTrue();
        assertThat(events).containsExactly("report started (attempt 1)");
    }

    @Test
    void losingTheElectionCancelsItAtItsAwaitPointRunsItsFinallyAndItStandsByUntilLeadingAgain() {
        SupervisedTask st = Supervisor.start(test.loop(), ticker("report", "report"), env, leadership.join("report", "report"));
        leadership.start();
        election.grant("report");
        test.advanceTimeBy(Duration.ofMillis(2500));
        Task<?> firstTerm = st.task();

        election.revoke("report");
        test.runCurrent();

        assertThat(events).containsExactly("report started (attempt 1)", "report finally");
        assertThat(firstTerm.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(firstTerm.snapshot().cancelReason())
                .isEqualTo(CancelReason.of(CancelOrigins.LEADERSHIP, "this replica lost the leadership of election 'report'"));
        assertThat(EndCause.of(firstTerm.snapshot())).isEqualTo("leadership");
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.STANDBY);
        assertThat(st.restarts()).as("a lost term is no restart").isZero();

        test.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(events).hasSize(2);

        election.grant("report");
        test.runCurrent();
        assertThat(events).last().isEqualTo("report started (attempt 1)");
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.RUNNING);
        assertThat(st.task()).isNotSameAs(firstTerm);
    }

    @Test
    void aRepeatedGrantOrRevocationFromTheBackendChangesNothing() {
        SupervisedTask st = Supervisor.start(test.loop(), ticker("report", "report"), env, leadership.join("report", "report"));
        leadership.start();
        election.grant("report");
        election.grant("report");
        test.runCurrent();
        assertThat(events).containsExactly("report started (attempt 1)");

        election.revoke("report");
        election.revoke("report");
        test.runCurrent();
        assertThat(events).containsExactly("report started (attempt 1)", "report finally");
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.STANDBY);
    }

    @Test
    void singletonsNamingTheSameElectionShareOneCampaignAndRunTogether() {
        SupervisedTask a = Supervisor.start(test.loop(), ticker("a", "billing"), env, leadership.join("billing", "a"));
        SupervisedTask b = Supervisor.start(test.loop(), ticker("b", "billing"), env, leadership.join("billing", "b"));
        leadership.start();
        assertThat(election.calls).containsExactly("start billing");

        election.grant("billing");
        test.runCurrent();
        assertThat(List.of(a.status(), b.status())).containsOnly(DeclaredTask.Status.RUNNING);

        election.revoke("billing");
        test.runCurrent();
        assertThat(List.of(a.status(), b.status())).containsOnly(DeclaredTask.Status.STANDBY);
        assertThat(events).contains("a finally", "b finally");
    }

    @Test
    void aSingletonGroupRunsAllItsTasksOnlyWhileLeadingAndStopsThemAllWhenItLosesTheElection() {
        GroupSpec group = GroupSpec.builder("ingest").strategy(Strategy.ONE_FOR_ALL).intensity(new RestartIntensity(5, Duration.ofMinutes(1)))
                .tasks(ticker("producer", ""), ticker("consumer", "")).singleton("ingest").build();
        List<SupervisedTask> members = Supervisor.start(test.loop(), group, env, leadership.join("ingest", "ingest"));
        leadership.start();
        test.runCurrent();
        assertThat(members).extracting(DeclaredTask::status).containsOnly(DeclaredTask.Status.STANDBY);
        assertThat(members).extracting(DeclaredTask::election).containsOnly("ingest");

        election.grant("ingest");
        test.runCurrent();
        assertThat(members).extracting(DeclaredTask::status).containsOnly(DeclaredTask.Status.RUNNING);

        election.revoke("ingest");
        test.runCurrent();
        assertThat(members).extracting(DeclaredTask::status).containsOnly(DeclaredTask.Status.STANDBY);
        assertThat(events).containsExactlyInAnyOrder("producer started (attempt 1)", "consumer started (attempt 1)",
                "producer finally", "consumer finally");
    }

    @Test
    void aSingletonThatEndsByItselfStaysEndedForTheTermAndRunsAgainInTheNextOne() {
        TaskSpec once = TaskSpec.builder("migrate").restart(Restart.NEVER).backoff(new Backoff(Duration.ZERO, Duration.ZERO, 1, 0))
                .intensity(new RestartIntensity(0, Duration.ofMinutes(1))).singleton("migrate").body(ctx -> events.add("migrated")).build();
        SupervisedTask st = Supervisor.start(test.loop(), once, env, leadership.join("migrate", "migrate"));
        leadership.start();
        election.grant("migrate");
        test.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.COMPLETED);
        assertThat(events).containsExactly("migrated");

        election.revoke("migrate");
        test.runCurrent();
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.STANDBY);
        election.grant("migrate");
        test.runCurrent();
        assertThat(events).containsExactly("migrated", "migrated");
    }

    @Test
    void resigningStopsTheSingletonsRunsTheirFinallyBeforeGivingUpTheElection() {
        SupervisedTask st = Supervisor.start(test.loop(), ticker("report", "report"), env, leadership.join("report", "report"));
        leadership.start();
        election.grant("report");
        test.runCurrent();

        String report = leadership.resign(Duration.ofSeconds(5));

        assertThat(report).isEqualTo("left 1 election(s) ['report']");
        assertThat(events).containsExactly("report started (attempt 1)", "report finally");
        assertThat(election.calls).containsExactly("start report", "stop report");
        assertThat(st.status()).isEqualTo(DeclaredTask.Status.STOPPED);
        assertThat(st.task().snapshot().cancelReason()).isEqualTo(CancelReason.of(CancelOrigins.LEADERSHIP,
                "this replica resigns the leadership of election 'report': the application is stopping"));
        assertThat(EndCause.of(st.task().snapshot())).isEqualTo("leadership");
    }

    @Test
    void aStandingBySingletonIsStoppedWhenItsLoopShutsDown() {
        SupervisedTask st = Supervisor.start(test.loop(), ticker("report", "report"), env, leadership.join("report", "report"));
        leadership.start();
        test.runCurrent();

        test.loop().shutdown(Duration.ofSeconds(5));

        assertThat(st.status()).isEqualTo(DeclaredTask.Status.STOPPED);
        assertThat(events).isEmpty();
    }
}
