package dev.taskloop.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Once the demo is ready, one log line block that says where to look (the README's Set up lists the same). */
@Component
class DemoReady implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(DemoReady.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        Environment env = event.getApplicationContext().getEnvironment();
        String base = "http://" + env.getProperty("server.address", "localhost") + ":" + web.getWebServer().getPort();
        log.info("""
                Taskloop demo ready on {} (loopback only). Open:
                  {}/actuator/taskloop/ui         the dashboard: loops, declared tasks and their controls, live tasks
                  {}/actuator/taskloop            loops, declared tasks, live tasks and why tasks ended (JSON)
                  {}/actuator/taskloop/report     one task: its state, times and the stack where it waits
                  {}/actuator/health              the taskloop health component and the probes
                  {}/actuator/prometheus          the taskloop.* meters
                Make it misbehave: curl -X POST '{}/demo/blocker?enabled=true' (a task blocks the loop),
                  '{}/demo/poison?enabled=true' (orders that fail their workers), '{}/demo/runaway?perSecond=10000&seconds=10'""",
                base, base, base, base, base, base, base, base, base);
    }
}
