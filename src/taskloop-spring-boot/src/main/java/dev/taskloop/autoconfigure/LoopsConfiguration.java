package dev.taskloop.autoconfigure;

import dev.taskloop.core.EventLoop;
import dev.taskloop.spring.TaskMdc;
import dev.taskloop.spring.support.LoopDirectory;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The loops named in {@code taskloop.loops}, unless the application defines its own {@link EventLoop}. */
@ConditionalOnMissingBean(EventLoop.class)
class LoopsConfiguration {

    @Bean(destroyMethod = "")
    LoopDirectory taskloopLoops(TaskloopProperties properties) {
        List<EventLoop> loops = new ArrayList<>();
        for (String name : properties.getLoops()) {
            loops.add(EventLoop.builder().name(name)
                    .slowStepThreshold(properties.getSlowStepThreshold())
                    .shutdownTimeout(properties.getShutdown().getTimeout())
                    .watchdog(properties.isWatchdog())
                    .reportInterval(properties.getReportInterval())
                    .measure(properties.isMeasure())
                    .backend(properties.getBackend())
                    .admission(properties.getAdmission().toPolicy())
                    .listener(new TaskMdc())
                    .build());
        }
        return new LoopDirectory(loops, loops.getFirst());
    }

    /** The default loop, for injection; closed by the lifecycle (and again, harmlessly, on destroy). */
    @Bean
    @Primary
    EventLoop taskloopEventLoop(LoopDirectory taskloopLoops) {
        return taskloopLoops.defaultLoop();
    }
}
