package dev.taskloop.spring.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskloop.autoconfigure.TaskloopAutoConfiguration;
import dev.taskloop.core.Async;
import dev.taskloop.core.EventLoop;
import dev.taskloop.core.testing.TestLoop;
import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.Overrun;
import dev.taskloop.spring.Restart;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.TaskContext;
import dev.taskloop.spring.TaskMdc;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** Observations per periodic run, the logging MDC, readiness held for awaitStarted tasks, the SIGTERM switch. */
class IntegrationFeaturesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskloopAutoConfiguration.class));

    @Test
    void eachRunOfAPeriodicTaskIsAnObservation() {
        List<String> events = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStart(Observation.Context c) {
                events.add("start " + c.getName() + " " + c.getLowCardinalityKeyValue("taskloop.task").getValue()
                        + " run " + c.getHighCardinalityKeyValue("taskloop.run").getValue());
            }

            @Override
            public void onError(Observation.Context c) {
                events.add("error " + c.getError().getMessage());
            }

            @Override
            public void onStop(Observation.Context c) {
                events.add("stop");
            }
        });
        try (TestLoop test = TestLoop.create()) {
            Supervisor.start(test.loop(), TaskSpec.builder("poll").restart(Restart.NEVER)
                    .backoff(new Backoff(Duration.ZERO, Duration.ZERO, 1, 0)).intensity(new RestartIntensity(0, Duration.ofSeconds(1)))
                    .schedule(new Schedule.FixedRate(Duration.ofSeconds(1), Duration.ofMillis(1), Overrun.SKIP)).body(ctx -> {
                        if (ctx.run() == 2) {
                            throw new IllegalStateException("second run failed");
                        }
                    }).build(), new Supervisor.Environment(Clock.systemUTC(), RandomGenerator.getDefault(), registry));
            test.advanceTimeBy(Duration.ofSeconds(3));
        }
        assertThat(events).containsExactly("start taskloop.task.run poll run 1", "stop",
                "start taskloop.task.run poll run 2", "error second run failed", "stop");
    }

    @Test
    void aTasksLogLinesCarryItsNameAndLoopInTheMdc() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("mdc-loop").listener(new TaskMdc()).build()) {
            String seen = loop.spawn("mdc-task", () -> {
                Async.yieldNow();
                return MDC.get(TaskMdc.TASK) + "@" + MDC.get(TaskMdc.LOOP);
            }).join();
            assertThat(seen).isEqualTo("mdc-task@mdc-loop");
            assertThat(MDC.get(TaskMdc.TASK)).as("the caller's MDC is untouched").isNull();
        }
    }

    static CountDownLatch release;

    static class SlowStarter {
        @BackgroundTask(name = "warmup", awaitStarted = true)
        void warmUp(TaskContext ctx) throws InterruptedException {
            Async.offload(() -> release.await());
            ctx.started();
            Async.sleep(Duration.ofDays(1));
        }
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration(TaskloopAutoConfiguration.class)
    static class ReadinessApp {
        @Bean
        SlowStarter slowStarter() {
            return new SlowStarter();
        }

        @Bean
        ApplicationAvailabilityBean applicationAvailability() {
            return new ApplicationAvailabilityBean();
        }

        @Bean
        ApplicationListener<AvailabilityChangeEvent<ReadinessState>> acceptingLatch() {
            return e -> {
                if (e.getState() == ReadinessState.ACCEPTING_TRAFFIC && release.getCount() == 0) {
                    accepting.countDown();
                }
            };
        }
    }

    static final CountDownLatch accepting = new CountDownLatch(1);

    @Test
    void readinessRefusesTrafficUntilTheTasksThatAskForItHaveStarted() throws Exception {
        release = new CountDownLatch(1);
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(ReadinessApp.class)
                .web(WebApplicationType.NONE).properties("taskloop.shutdown.exit-zero-on-sigterm=false").run()) {
            ApplicationAvailability availability = ctx.getBean(ApplicationAvailability.class);
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
            assertThat(ctx.getBean(DeclaredTaskRegistry.class).find("warmup")).get().matches(t -> !t.isStarted());
            release.countDown();
            assertThat(accepting.await(10, TimeUnit.SECONDS)).as("readiness turned to ACCEPTING_TRAFFIC").isTrue();
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(ctx.getBean(DeclaredTaskRegistry.class).find("warmup")).get().matches(DeclaredTask::isStarted);
        }
    }

    @Test
    void theSigtermExitStatusIsOffUnlessSwitchedOn() {
        runner.run(context -> assertThat(context).doesNotHaveBean(SigtermExit.class));
        runner.withPropertyValues("taskloop.shutdown.exit-zero-on-sigterm=false")
                .run(context -> assertThat(context).doesNotHaveBean(SigtermExit.class));
        runner.withPropertyValues("taskloop.shutdown.exit-zero-on-sigterm=true")
                .run(context -> assertThat(context).hasSingleBean(SigtermExit.class));
    }
}
