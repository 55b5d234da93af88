package dev.taskloop.autoconfigure;

import dev.taskloop.spring.ShutdownParticipant;
import dev.taskloop.spring.leader.Leadership;
import dev.taskloop.spring.support.BackgroundTaskBeanPostProcessor;
import dev.taskloop.spring.support.DeclaredTaskRegistry;
import dev.taskloop.spring.support.KeepAlive;
import dev.taskloop.spring.support.LoopAssessment;
import dev.taskloop.spring.support.LoopDirectory;
import dev.taskloop.spring.support.LoopMonitor;
import dev.taskloop.spring.support.SigtermExit;
import dev.taskloop.spring.support.Supervisor;
import dev.taskloop.spring.support.TaskloopLifecycle;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * {@code @BackgroundTask} processing, the lifecycle that runs the declared tasks, and the monitor that
 * turns loop health and awaitStarted tasks into liveness and readiness.
 */
class DeclaredTasksConfiguration {

    /**
     * The name of an optional {@link Clock} bean that cron schedules read instead of the system clock
     * (virtual time in tests). Declare it with {@code @Bean(defaultCandidate = false)}, so that it is
     * injected only where it is asked for by name.
     */
    static final String TASKLOOP_CLOCK = "taskloopClock";

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static DeclaredTaskRegistry taskloopDeclaredTaskRegistry() {
        return new DeclaredTaskRegistry();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static BackgroundTaskBeanPostProcessor taskloopBackgroundTaskBeanPostProcessor(DeclaredTaskRegistry taskloopDeclaredTaskRegistry) {
        return new BackgroundTaskBeanPostProcessor(taskloopDeclaredTaskRegistry);
    }

    @Bean
    TaskloopLifecycle taskloopLifecycle(LoopDirectory loops, DeclaredTaskRegistry declared, TaskloopProperties properties,
                                        ObjectProvider<ObservationRegistry> observations, ObjectProvider<ShutdownParticipant> participants,
                                        ObjectProvider<Leadership> leadership, Environment environment,
                                        @Qualifier(TASKLOOP_CLOCK) ObjectProvider<Clock> clock) {
        Duration phase = Binder.get(environment).bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(Duration.ofSeconds(30));
        TaskloopPropertiesValidator.checkShutdownBudgets(properties.getShutdown(), phase);
        return TaskloopLifecycle.builder(loops, declared)
                .environment(new Supervisor.Environment(clock.getIfAvailable(Clock::systemDefaultZone), RandomGenerator.getDefault(),
                        observations.getIfAvailable(), () -> false, properties.getReportInterval()))
                .drainTimeout(properties.getShutdown().getDrainTimeout())
                .shutdownTimeout(properties.getShutdown().getTimeout())
                .participants(participants.orderedStream().toList())
                .leadership(leadership.getIfAvailable())
                .build();
    }

    /** INTAKE and DRAIN, at a phase of their own above the web server's graceful shutdown. */
    @Bean
    SmartLifecycle taskloopDrainLifecycle(TaskloopLifecycle taskloopLifecycle) {
        return taskloopLifecycle.drainLifecycle();
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "taskloop.keep-alive", matchIfMissing = true)
    static KeepAlive taskloopKeepAlive(DeclaredTaskRegistry taskloopDeclaredTaskRegistry) {
        return new KeepAlive(() -> !taskloopDeclaredTaskRegistry.tasks().isEmpty() || !taskloopDeclaredTaskRegistry.groups().isEmpty());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "taskloop.shutdown.exit-zero-on-sigterm")
    static SigtermExit taskloopSigtermExit() {
        return new SigtermExit();
    }

    @Bean
    LoopMonitor taskloopLoopMonitor(LoopDirectory loops, DeclaredTaskRegistry declared, TaskloopLifecycle lifecycle,
                                    ApplicationEventPublisher publisher, ObjectProvider<ApplicationAvailability> availability,
                                    TaskloopProperties properties) {
        TaskloopProperties.Health h = properties.getHealth();
        return new LoopMonitor(loops, declared, lifecycle, publisher, availability,
                new LoopAssessment.Settings(h.getStuckThreshold(), h.getLagThreshold(), h.getLagWindow(), h.getCheckInterval(),
                        h.isAvailability()));
    }
}
