package dev.taskloop.spring;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Holds readiness back until every declared task with {@code awaitStarted = true} has called
 * {@link TaskContext#started()}: when Spring Boot declares the application ready
 * ({@code ACCEPTING_TRAFFIC}) too early, it is turned back to {@code REFUSING_TRAFFIC}, and set to
 * {@code ACCEPTING_TRAFFIC} once the last of those tasks has started.
 */
public class ReadinessGate implements ApplicationListener<AvailabilityChangeEvent<?>> {

    private static final Log log = LogFactory.getLog(ReadinessGate.class);

    private final TaskloopLifecycle lifecycle;
    private final ApplicationEventPublisher publisher;
    private volatile boolean holding;

    public ReadinessGate(TaskloopLifecycle lifecycle, ApplicationEventPublisher publisher) {
        this.lifecycle = lifecycle;
        this.publisher = publisher;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
        if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC || holding) {
            return;
        }
        var started = lifecycle.whenAllStarted();
        if (started.isDone()) {
            return;
        }
        holding = true;
        log.info("Readiness waits for the declared tasks that must start first (awaitStarted)");
        AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
        started.thenRun(() -> {
            holding = false;
            log.info("Every declared task with awaitStarted has started: accepting traffic");
            AvailabilityChangeEvent.publish(publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
        });
    }
}
