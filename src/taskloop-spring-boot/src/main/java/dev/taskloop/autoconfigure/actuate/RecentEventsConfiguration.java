package dev.taskloop.autoconfigure.actuate;

import dev.taskloop.actuate.RecentEvents;
import dev.taskloop.autoconfigure.TaskloopProperties;
import dev.taskloop.core.EventLoop;
import dev.taskloop.spring.support.LoopDirectory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** What the endpoint and the health component remember of the loops: ended tasks, stuck steps. */
class RecentEventsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RecentEvents taskloopRecentEvents(LoopDirectory loops, TaskloopProperties properties) {
        RecentEvents events = new RecentEvents(properties.getEndpoint().getHistorySize());
        for (EventLoop loop : loops.all()) {
            loop.addListener(events);
        }
        return events;
    }
}
