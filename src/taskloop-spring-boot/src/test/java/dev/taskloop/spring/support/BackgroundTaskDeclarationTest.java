package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Overrun;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.Strategy;
import dev.taskloop.spring.SupervisedGroup;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.TaskDeclarationException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declared tasks start with the context and stop with it; every misuse stops startup with a message naming bean, method and fix. */
class BackgroundTaskDeclarationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class));

    // ------------------------------------------------------------------ it works

    static final List<String> trace = new CopyOnWriteArrayList<>();
    static CountDownLatch running;

    static class Worker {
        @BackgroundTask(name = "worker")
        void work(TaskContext ctx) {
            trace.add("started " + ctx.name() + " attempt " + ctx.attempt());
            running.countDown();
            try {
                Async.sleep(Duration.ofDays(1));
            } finally {
                trace.add("finally " + ctx.name());
            }
        }

        @BackgroundTask
        void unnamed() {
            running.countDown();
            Async.sleep(Duration.ofDays(1));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WorkerConfig {
        @Bean
        Worker workerBean() {
            return new Worker();
        }
    }

    @Test
    void declaredTasksStartWithTheContextAndTheirCleanupRunsWhenItCloses() throws Exception {
        trace.clear();
        running = new CountDownLatch(2);
        runner.withUserConfiguration(WorkerConfig.class).run(context -> {
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            DeclaredTaskRegistry declared = context.getBean(DeclaredTaskRegistry.class);
            assertThat(declared.all()).extracting(DeclaredTask::name).containsExactlyInAnyOrder("worker", "workerBean.unnamed");
            assertThat(declared.find("worker")).get().extracting(DeclaredTask::status).isEqualTo(DeclaredTask.Status.RUNNING);
        });
        assertThat(trace).containsExactly("started worker attempt 1", "finally worker");
    }

    @SupervisedGroup(name = "ingest", strategy = Strategy.ONE_FOR_ALL)
    static class Ingest {
        @BackgroundTask
        void producer() {
            Async.sleep(Duration.ofDays(1));
        }

        @BackgroundTask
        void consumer() {
            Async.sleep(Duration.ofDays(1));
        }

        @BackgroundTask
        void auditor() {
            Async.sleep(Duration.ofDays(1));
        }
    }

    @Test
    void aSupervisedGroupsTasksAreDeclaredInSourceOrder() {
        runner.withBean("ingestBean", Ingest.class).run(context -> {
            GroupSpec g = context.getBean(DeclaredTaskRegistry.class).groups().getFirst();
            assertThat(g.name()).isEqualTo("ingest");
            assertThat(g.strategy()).isEqualTo(Strategy.ONE_FOR_ALL);
            assertThat(g.tasks()).extracting(TaskSpec::name)
                    .containsExactly("ingestBean.producer", "ingestBean.consumer", "ingestBean.auditor");
        });
    }

    static class Placeholders {
        @BackgroundTask(name = "${job.name}", fixedRate = "${job.rate:15s}", initialDelay = "2s")
        void job() {
        }
    }

    @Test
    void attributesMayBePropertyPlaceholders() {
        runner.withBean(Placeholders.class).withPropertyValues("job.name=refresh").run(context -> {
            TaskSpec s = context.getBean(DeclaredTaskRegistry.class).tasks().getFirst();
            assertThat(s.name()).isEqualTo("refresh");
            assertThat(s.schedule()).isEqualTo(new Schedule.FixedRate(Duration.ofSeconds(15), Duration.ofSeconds(2), Overrun.SKIP));
        });
    }

    // ------------------------------------------------------------------ misuse

    static class PrivateMethod {
        @BackgroundTask
        private void hidden() {
        }
    }

    static class StaticMethod {
        @BackgroundTask
        static void shared() {
        }
    }

    static class BadParameter {
        @BackgroundTask
        void work(String what, int n) {
        }
    }

    static class UnknownLoop {
        @BackgroundTask(loop = "gpu")
        void work() {
        }
    }

    static class BadCron {
        @BackgroundTask(cron = "every minute")
        void work() {
        }
    }

    static class BadDuration {
        @BackgroundTask(fixedDelay = "10 parsecs")
        void work() {
        }
    }

    static class DuplicateA {
        @BackgroundTask(name = "same")
        void a() {
        }
    }

    static class DuplicateB {
        @BackgroundTask(name = "same")
        void b() {
        }
    }

    static class TwoSchedules {
        @BackgroundTask(fixedRate = "1s", cron = "0 * * * * *")
        void work() {
        }
    }

    static class BadJitter {
        @BackgroundTask(backoffJitter = 1.5)
        void work() {
        }
    }

    static class BadMultiplier {
        @BackgroundTask(backoffMultiplier = 0.5)
        void work() {
        }
    }

    static class NegativeRestarts {
        @BackgroundTask(maxRestarts = -1)
        void work() {
        }
    }

    static class ZeroRate {
        @BackgroundTask(fixedRate = "0s")
        void work() {
        }
    }

    static class MaxBelowInitial {
        @BackgroundTask(backoffInitial = "10s", backoffMax = "1s")
        void work() {
        }
    }

    static class UnknownZone {
        @BackgroundTask(cron = "0 0 * * * *", zone = "Mars/Olympus")
        void work() {
        }
    }

    static class MissingPlaceholder {
        @BackgroundTask(fixedRate = "${nowhere.rate}")
        void work() {
        }
    }

    @SupervisedGroup
    static class EmptyGroup {
        void notATask() {
        }
    }

    static class OverrunWithoutSchedule {
        @BackgroundTask(overrun = Overrun.CATCH_UP)
        void work() {
        }
    }

    @Test
    void aPrivateMethodIsRejected() {
        assertFails(PrivateMethod.class, "@BackgroundTask method PrivateMethod.hidden() of bean 'bean' is private; "
                + "make it package-private, protected or public");
    }

    @Test
    void aStaticMethodIsRejected() {
        assertFails(StaticMethod.class, "@BackgroundTask method StaticMethod.shared() of bean 'bean' is static; "
                + "make it an instance method: tasks run on the bean");
    }

    @Test
    void parametersOtherThanTaskContextAreRejected() {
        assertFails(BadParameter.class, "@BackgroundTask method BadParameter.work() of bean 'bean' takes parameters (String, int); "
                + "declare no parameters, or a single TaskContext");
    }

    @Test
    void anUnknownLoopIsRejected() {
        assertFails(UnknownLoop.class, "@BackgroundTask 'bean.work' names loop 'gpu', but the application's loops are [main]; "
                + "fix the name, or add the loop to taskloop.loops");
    }

    @Test
    void aMalformedCronIsRejected() {
        assertFailsStartingWith(BadCron.class, "@BackgroundTask method BadCron.work() of bean 'bean' has an invalid cron 'every minute' (",
                "use six fields, seconds first, such as '0 */5 * * * *', or a macro such as '@hourly'");
    }

    @Test
    void aMalformedDurationIsRejected() {
        assertFails(BadDuration.class, "@BackgroundTask method BadDuration.work() of bean 'bean' has an invalid fixedDelay '10 parsecs'; "
                + "use a duration such as 500ms, 30s, 5m or PT1M");
    }

    @Test
    void aDuplicateNameIsRejected() {
        runner.withBean("first", DuplicateA.class).withBean("second", DuplicateB.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("The name 'same' is declared twice: by DuplicateA.a() "
                    + "(bean 'first') and by DuplicateB.b() (bean 'second') (task); give one of them another name with the 'name' "
                    + "attribute; names must be unique in the application");
        });
    }

    @Test
    void twoScheduleModesAreRejected() {
        assertFails(TwoSchedules.class, "@BackgroundTask method TwoSchedules.work() of bean 'bean' sets fixedRate and cron; "
                + "choose one of fixedRate, fixedDelay and cron");
    }

    @Test
    void jitterOutsideZeroToOneIsRejected() {
        assertFails(BadJitter.class, "@BackgroundTask method BadJitter.work() of bean 'bean' has backoffJitter 1.5; "
                + "use a fraction between 0 and 1 (0.1 spreads each delay by ± 10 %)");
    }

    @Test
    void aMultiplierBelowOneIsRejected() {
        assertFails(BadMultiplier.class, "@BackgroundTask method BadMultiplier.work() of bean 'bean' has backoffMultiplier 0.5; "
                + "use a finite factor of at least 1 (1 keeps the delay constant)");
    }

    @Test
    void negativeMaxRestartsIsRejected() {
        assertFails(NegativeRestarts.class, "@BackgroundTask method NegativeRestarts.work() of bean 'bean' has maxRestarts -1; "
                + "use 0 (no restarts) or more");
    }

    @Test
    void aZeroRateIsRejected() {
        assertFails(ZeroRate.class, "@BackgroundTask method ZeroRate.work() of bean 'bean' has fixedRate '0s', which is not positive; "
                + "use a duration greater than zero");
    }

    @Test
    void aBackoffMaxBelowTheInitialDelayIsRejected() {
        assertFails(MaxBelowInitial.class, "@BackgroundTask method MaxBelowInitial.work() of bean 'bean' has backoffMax '1s' shorter "
                + "than backoffInitial '10s'; make backoffMax at least backoffInitial");
    }

    @Test
    void anUnknownZoneIsRejected() {
        assertFails(UnknownZone.class, "@BackgroundTask method UnknownZone.work() of bean 'bean' has an unknown zone 'Mars/Olympus'; "
                + "use a zone id such as 'UTC' or 'Europe/Paris'");
    }

    @Test
    void anUnresolvablePlaceholderIsRejected() {
        assertFailsStartingWith(MissingPlaceholder.class, "@BackgroundTask method MissingPlaceholder.work() of bean 'bean' has fixedRate "
                + "'${nowhere.rate}' with a placeholder that cannot be resolved (", "define the property, or give the placeholder a default: ${name:default}");
    }

    @Test
    void aGroupWithoutTasksIsRejected() {
        assertFails(EmptyGroup.class, "Class EmptyGroup (bean 'bean') is annotated @SupervisedGroup but has no @BackgroundTask methods; "
                + "annotate the group's task methods with @BackgroundTask, or remove @SupervisedGroup");
    }

    @Test
    void anOverrunPolicyOnANonPeriodicTaskIsRejected() {
        assertFails(OverrunWithoutSchedule.class, "@BackgroundTask method OverrunWithoutSchedule.work() of bean 'bean' sets overrun "
                + "CATCH_UP but is not periodic; remove overrun, or add fixedRate or cron");
    }

    @Test
    void springBootReportsTheProblemAndTheFix() {
        TaskDeclarationException e = new TaskDeclarationException("the problem", "the fix");
        FailureAnalysis analysis = new TaskDeclarationFailureAnalyzer().analyze(new RuntimeException(e));
        assertThat(analysis.getDescription()).isEqualTo("the problem");
        assertThat(analysis.getAction()).isEqualTo("the fix");
    }

    private void assertFails(Class<?> bean, String message) {
        runner.withBean("bean", bean).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(TaskDeclarationException.class).hasMessage(message);
        });
    }

    private void assertFailsStartingWith(Class<?> bean, String start, String end) {
        runner.withBean("bean", bean).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(TaskDeclarationException.class)
                    .hasMessageStartingWith(start).hasMessageEndingWith(end);
        });
    }
}
