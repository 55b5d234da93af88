package dev.example.readme;

import dev.taskloop.spring.DeclaredTask;
import dev.taskloop.spring.DeclaredTasks;
import dev.taskloop.spring.Schedule;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

class DeclaredTasksSnippet {

    // readme:snippet declared-tasks-api
    @Component
    class Maintenance {
        @Autowired DeclaredTasks declaredTasks;

        void nightlyWindow() {
            DeclaredTask report = declaredTasks.find("report").orElseThrow();
            report.pause("paused by the nightly maintenance");                   // the reason a long-running task's cancellation carries
            report.reschedule(new Schedule.FixedDelay(Duration.ofMinutes(5), Duration.ZERO));
            report.trigger();
            Instant next = report.nextExecution();
            DeclaredTask.Execution last = report.lastExecution();                // status, time, duration, exception, triggered
        }
    }
    // readme:end
}
