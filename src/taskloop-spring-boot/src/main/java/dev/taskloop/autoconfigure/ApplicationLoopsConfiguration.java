package dev.taskloop.autoconfigure;

import dev.taskloop.core.EventLoop;
import dev.taskloop.spring.TaskMdc;
import dev.taskloop.spring.support.LoopDirectory;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * When the application defines its own {@link EventLoop} beans: the directory of those loops. The
 * default loop is the only one, or the {@code @Primary} one.
 */
class ApplicationLoopsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LoopDirectory taskloopLoops(ObjectProvider<EventLoop> loops) {
        List<EventLoop> all = loops.orderedStream().toList();
        EventLoop primary = loops.getIfUnique();
        if (primary == null) {
            throw new IllegalStateException("the application defines " + all.size() + " EventLoop beans ("
                    + all.stream().map(EventLoop::name).toList() + ") and none is @Primary: Taskloop cannot tell which is the default"
                    + " loop; mark one @Primary");
        }
        TaskMdc mdc = new TaskMdc();
        all.forEach(l -> l.addListener(mdc));
        return new LoopDirectory(all, primary);
    }
}
