package dev.taskloop.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of Taskloop ({@code taskloop.*}). Validated when bound: a wrong value stops the
 * application at startup with the property, the value and what is allowed.
 */
@ConfigurationProperties("taskloop")
public class TaskloopProperties implements Validator {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Whether to create the event loops and run the declared background tasks. */
    private boolean enabled = true;

    /**
     * Names of the event loops to create, one baton (one core's worth of work) each; the first is
     * the default loop. Lower-case letters, digits and dashes.
     */
    private List<String> loops = new ArrayList<>(List.of("main"));

    /**
     * How long one task may hold a loop before the step counts as slow and the watchdog reports
     * it, with its stack, while it lasts.
     */
    private Duration slowStepThreshold = Duration.ofMillis(100);

    /** Whether the watchdog samples the loops for tasks that hold them too long. */
    private boolean watchdog = true;

    /** Whether the loops account awake, asleep and waiting time, lag and utilization. */
    private boolean measure = true;

    private final Shutdown shutdown = new Shutdown();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getLoops() {
        return loops;
    }

    public void setLoops(List<String> loops) {
        this.loops = loops;
    }

    public Duration getSlowStepThreshold() {
        return slowStepThreshold;
    }

    public void setSlowStepThreshold(Duration slowStepThreshold) {
        this.slowStepThreshold = slowStepThreshold;
    }

    public boolean isWatchdog() {
        return watchdog;
    }

    public void setWatchdog(boolean watchdog) {
        this.watchdog = watchdog;
    }

    public boolean isMeasure() {
        return measure;
    }

    public void setMeasure(boolean measure) {
        this.measure = measure;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    /** Orderly shutdown of the loops when the application stops. */
    public static class Shutdown {

        /**
         * How long the loops wait for cancelled tasks to run their cleanup before interrupting
         * them and naming them in the log. Must be shorter than
         * spring.lifecycle.timeout-per-shutdown-phase.
         */
        private Duration timeout = Duration.ofSeconds(20);

        /**
         * Whether SIGTERM ends the process with exit status 0 after the orderly shutdown, instead
         * of the JVM's 143.
         */
        private boolean exitZeroOnSigterm = true;

        public boolean isExitZeroOnSigterm() {
            return exitZeroOnSigterm;
        }

        public void setExitZeroOnSigterm(boolean exitZeroOnSigterm) {
            this.exitZeroOnSigterm = exitZeroOnSigterm;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return TaskloopProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        TaskloopProperties p = (TaskloopProperties) target;
        if (p.loops == null || p.loops.isEmpty()) {
            errors.rejectValue("loops", "empty", "must name at least one loop (the first is the default loop), e.g. main");
        } else {
            Set<String> seen = new HashSet<>();
            for (String name : p.loops) {
                if (name == null || !NAME.matcher(name).matches()) {
                    errors.rejectValue("loops", "name", "loop name '" + name
                            + "' must be 1 to 63 lower-case letters, digits or dashes, starting and ending with a letter or digit");
                } else if (!seen.add(name)) {
                    errors.rejectValue("loops", "duplicate", "loop name '" + name + "' appears twice; loop names must be unique");
                }
            }
        }
        if (p.slowStepThreshold == null || p.slowStepThreshold.isNegative() || p.slowStepThreshold.isZero()) {
            errors.rejectValue("slowStepThreshold", "positive", "must be a positive duration, e.g. 100ms");
        }
        Duration t = p.shutdown.timeout;
        if (t == null || t.isNegative()) {
            errors.rejectValue("shutdown.timeout", "nonNegative", "must be zero or a positive duration, e.g. 20s");
        }
    }
}
