package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.SupervisedGroup;
import dev.taskloop.spring.TaskDeclarationException;
import dev.taskloop.spring.leader.LeaderElection;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.leader.LocalLeaderElection;
import dev.taskloop.spring.leader.ManualLeaderElection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The {@code singleton} attribute through the auto-configuration: which backend is chosen, what
 * runs, and the startup failures (with their fixes) when a singleton cannot be honoured.
 */
class SingletonDeclarationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class));

    static final List<String> trace = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch started;

    static class Report {
        @BackgroundTask(name = "nightly-report", singleton = "*")
        void report() {
            trace.add("report started");
            started.countDown();
            try {
                Async.sleep(Duration.ofDays(1));
            } finally {
                trace.add("report finally");
            }
        }

        @BackgroundTask(name = "everywhere")
        void everywhere() {
            Async.sleep(Duration.ofDays(1));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ReportConfig {
        @Bean
        Report report() {
            return new Report();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ManualElectionConfig {
        @Bean
        ManualLeaderElection manualLeaderElection() {
            return new ManualLeaderElection();
        }
    }

    @Test
    void withBackendNoneThisReplicaLeadsAndRunsTheSingleton() throws Exception {
        trace.clear();
        started = new CountDownLatch(1);
        runner.withUserConfiguration(ReportConfig.class).withPropertyValues("taskloop.leader.backend=none").run(context -> {
            assertThat(context).getBean(LeaderElection.class).isInstanceOf(LocalLeaderElection.class);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            DeclaredTaskRegistry declared = context.getBean(DeclaredTaskRegistry.class);
            assertThat(declared.elections()).containsExactly("nightly-report");
            assertThat(declared.isLeader("nightly-report")).isTrue();
            assertThat(declared.find("nightly-report")).get().satisfies(st -> {
                assertThat(st.election()).isEqualTo("nightly-report");
                assertThat(st.isLeader()).isTrue();
            });
            assertThat(declared.find("everywhere")).get().satisfies(st -> {
                assertThat(st.election()).isNull();
                assertThat(st.isLeader()).isNull();
            });
        });
        assertThat(trace).containsExactly("report started", "report finally");
    }

    @Test
    void anApplicationsOwnLeaderElectionBeanIsUsedAndTheSingletonStandsByUntilItGrants() throws Exception {
        trace.clear();
        started = new CountDownLatch(1);
        runner.withUserConfiguration(ReportConfig.class, ManualElectionConfig.class).run(context -> {
            ManualLeaderElection election = context.getBean(ManualLeaderElection.class);
            DeclaredTaskRegistry declared = context.getBean(DeclaredTaskRegistry.class);
            assertThat(election.calls).containsExactly("start nightly-report");
            assertThat(declared.find("nightly-report")).get().extracting(DeclaredTask::status).isEqualTo(DeclaredTask.Status.STANDBY);
            assertThat(trace).isEmpty();

            election.grant("nightly-report");

            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(context.getBean(Leadership.class).isLeader("nightly-report")).isTrue();
        });
        assertThat(trace).containsExactly("report started", "report finally");
    }

    @Test
    void stoppingTheApplicationRunsTheSingletonsFinallyBeforeGivingUpItsElection() throws Exception {
        trace.clear();
        started = new CountDownLatch(1);
        ManualLeaderElection[] election = new ManualLeaderElection[1];
        runner.withUserConfiguration(ReportConfig.class, ManualElectionConfig.class).run(context -> {
            election[0] = context.getBean(ManualLeaderElection.class);
            election[0].grant("nightly-report");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            election[0].calls.clear();
            trace.clear();
            election[0].calls.add("trace at close: " + trace);
        });
        // the election was stopped only after the singleton's finally had run
        assertThat(trace).containsExactly("report finally");
        assertThat(election[0].calls).containsExactly("trace at close: []", "stop nightly-report");
        assertThat(election[0].started()).isEmpty();
    }

    @Test
    void withoutSingletonsNoBackendIsNeeded() {
        runner.withUserConfiguration(NoSingletons.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aSingletonWithoutAnAvailableBackendStopsStartupNamingTheChoices() {
        runner.withUserConfiguration(ReportConfig.class).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(TaskDeclarationException.class)
                .hasMessageStartingWith("Singleton tasks are declared (election 'nightly-report') and cannot run: no leader election backend is"
                        + " available for the singleton tasks (jdbc: there is no DataSource bean (or several, none @Primary); kubernetes:"
                        + " the application does not run in Kubernetes (no KUBERNETES_SERVICE_HOST) and there is no KubernetesClient bean)")
                .hasMessageEndingWith("or set taskloop.leader.backend=none to run the singletons on every replica (development only)"));
    }

    @Test
    void backendJdbcWithoutADataSourceStopsStartupSayingSo() {
        runner.withUserConfiguration(ReportConfig.class).withPropertyValues("taskloop.leader.backend=jdbc").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessage("Singleton tasks are declared (election 'nightly-report')"
                        + " and cannot run: taskloop.leader.backend=jdbc, but there is no DataSource bean (or several, none @Primary); add"
                        + " org.springframework.integration:spring-integration-jdbc and a DataSource"));
    }

    @Configuration(proxyBeanMethods = false)
    static class BothBackends {
        @Bean
        DataSource dataSource() {
            return new SimpleDriverDataSource();
        }

        @Bean(destroyMethod = "close")
        KubernetesClient kubernetesClient() {
            return new KubernetesClientBuilder().build();
        }
    }

    @Test
    void autoWithTwoAvailableBackendsAsksForAChoice() {
        runner.withUserConfiguration(ReportConfig.class, BothBackends.class).run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessage("Singleton tasks are declared (election 'nightly-report')"
                        + " and cannot run: taskloop.leader.backend=auto finds several leader election backends (jdbc, kubernetes); choose one:"
                        + " taskloop.leader.backend=jdbc or kubernetes"));
    }

    @Test
    void withoutTheOptionalLibrariesTheApplicationStartsAndASingletonNamesTheMissingOne() {
        ApplicationContextRunner bare = runner.withClassLoader(new FilteredClassLoader("io.fabric8", "org.springframework.integration"));
        bare.withUserConfiguration(NoSingletons.class).run(context -> assertThat(context).hasNotFailed());
        bare.withUserConfiguration(ReportConfig.class).withPropertyValues("taskloop.leader.backend=kubernetes").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessage("Singleton tasks are declared (election 'nightly-report')"
                        + " and cannot run: taskloop.leader.backend=kubernetes, but its library is not on the classpath;"
                        + " add io.fabric8:kubernetes-client"));
        bare.withUserConfiguration(ReportConfig.class).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("neither spring-integration-jdbc nor the fabric8 kubernetes-client is on the classpath"));
    }

    @Test
    void inconsistentLeaseTimingsStopStartupNamingThem() {
        runner.withUserConfiguration(NoSingletons.class)
                .withPropertyValues("taskloop.leader.lease-duration=5s", "taskloop.leader.renew-deadline=5s").run(context ->
                        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                                "taskloop.leader.lease-duration (PT5S) must be longer than taskloop.leader.renew-deadline (PT5S)"));
        runner.withUserConfiguration(NoSingletons.class)
                .withPropertyValues("taskloop.leader.renew-deadline=2s", "taskloop.leader.retry-period=2s").run(context ->
                        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                                "taskloop.leader.renew-deadline (PT2S) must be longer than 1.2 x taskloop.leader.retry-period (PT2S)"));
    }

    @Configuration(proxyBeanMethods = false)
    static class NoSingletons {
        @Bean
        Object plain() {
            return new Object() {
                @BackgroundTask(name = "plain")
                void plain() {
                    Async.sleep(Duration.ofDays(1));
                }
            };
        }
    }

    // ------------------------------------------------------------------ misuse

    static class BadName {
        @BackgroundTask(name = "bad", singleton = "Nightly_Report")
        void work() {
        }
    }

    static class StarWithCamelCaseName {
        @BackgroundTask(singleton = "*")
        void nightlyReport() {
        }
    }

    static class WithAwaitStarted {
        @BackgroundTask(name = "warm", singleton = "warm", awaitStarted = true)
        void work() {
        }
    }

    @SupervisedGroup(name = "ingest")
    static class SingletonMemberOfAGroup {
        @BackgroundTask(singleton = "ingest")
        void producer() {
        }
    }

    @SupervisedGroup(name = "ingest", singleton = "*")
    static class SingletonGroupWithAwaitStarted {
        @BackgroundTask(awaitStarted = true)
        void producer() {
        }
    }

    @Test
    void anElectionNameThatCannotNameALeaseIsRejected() {
        fails(BadName.class, "@BackgroundTask method BadName.work() of bean 'bean' has singleton 'Nightly_Report', which is not a valid"
                + " election name (1 to 63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit; it names a"
                + " Kubernetes Lease); use a name such as 'nightly-report', or '*' to name the election after the task");
    }

    @Test
    void aStarOnATaskWhoseNameCannotNameALeaseIsRejectedAskingForAName() {
        fails(StarWithCamelCaseName.class, "@BackgroundTask method StarWithCamelCaseName.nightlyReport() of bean 'bean' has singleton '*',"
                + " which names the election after the task, but its name 'bean.nightlyReport' is not a valid election name (1 to 63 lower-case"
                + " letters, digits, '-' and '.', starting and ending with a letter or digit; it names a Kubernetes Lease); give the task"
                + " such a name, or name the election: singleton = \"nightly-report\"");
    }

    @Test
    void awaitStartedOnASingletonIsRejected() {
        fails(WithAwaitStarted.class, "@BackgroundTask method WithAwaitStarted.work() of bean 'bean' sets both awaitStarted and singleton"
                + " 'warm': a singleton runs on one replica only, so the others' readiness cannot wait for it; remove awaitStarted, or"
                + " singleton");
    }

    @Test
    void aSingletonTaskInsideAGroupIsRejectedPointingToTheGroup() {
        fails(SingletonMemberOfAGroup.class, "@BackgroundTask method SingletonMemberOfAGroup.producer() of bean 'bean' sets singleton"
                + " 'ingest', but it belongs to a @SupervisedGroup, whose tasks always run together; remove singleton here, and set it"
                + " on the @SupervisedGroup");
    }

    @Test
    void awaitStartedInASingletonGroupIsRejected() {
        fails(SingletonGroupWithAwaitStarted.class, "@BackgroundTask 'bean.producer' in @SupervisedGroup on class"
                + " SingletonGroupWithAwaitStarted (bean 'bean') sets awaitStarted, but the group is a singleton (election 'ingest'): it"
                + " runs on one replica only, so the others' readiness cannot wait for it; remove awaitStarted, or make the group run on"
                + " every replica");
    }

    private void fails(Class<?> type, String message) {
        runner.withPropertyValues("taskloop.leader.backend=none").withBean("bean", type).run(context ->
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(TaskDeclarationException.class).hasMessage(message));
    }
}
