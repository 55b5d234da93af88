package dev.taskloop.autoconfigure;

import dev.taskloop.core.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of Taskloop ({@code taskloop.*}; leader election has its own,
 * {@link TaskloopLeaderProperties}). Validated when bound ({@link TaskloopPropertiesValidator}): a
 * wrong value stops the application at startup with the property, the value and what is allowed.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("taskloop")
public class TaskloopProperties implements Validator {

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

    /**
     * Which backend runs the loops' tasks: {@code virtual-threads} (the JDK's shared scheduler) or
     * {@code loop-carrier} (one carrier thread per loop; needs the JVM flag
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, and startup fails naming it without).
     */
    private Backend backend = Backend.VIRTUAL_THREADS;

    /**
     * Interval of the log's summary lines for repeated slow-step and task-failure reports: the first
     * report of a burst is logged with its stack, the next ones within the interval are counted into
     * one summary line (their stacks stay in the taskloop endpoint). 0 logs every report in full.
     */
    private Duration reportInterval = Duration.ofMinutes(1);

    /**
     * Whether a non-daemon thread keeps the JVM alive while the application's declared tasks run (their
     * virtual threads do not), so that a worker without a web server runs until it is stopped.
     */
    private boolean keepAlive = true;

    private final Shutdown shutdown = new Shutdown();

    private final Health health = new Health();

    private final Endpoint endpoint = new Endpoint();

    private final Admission admission = new Admission();

    public boolean isKeepAlive() {
        return keepAlive;
    }

    public void setKeepAlive(boolean keepAlive) {
        this.keepAlive = keepAlive;
    }

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

    public Duration getReportInterval() {
        return reportInterval;
    }

    public void setReportInterval(Duration reportInterval) {
        this.reportInterval = reportInterval;
    }

    public boolean isWatchdog() {
        return watchdog;
    }

    public void setWatchdog(boolean watchdog) {
        this.watchdog = watchdog;
    }

    public Backend getBackend() {
        return backend;
    }

    public void setBackend(Backend backend) {
        this.backend = backend;
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

    public Health getHealth() {
        return health;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    public Admission getAdmission() {
        return admission;
    }

    /**
     * Admission control of every loop of {@code taskloop.loops}: what {@code spawn} does once a loop
     * holds {@code max-tasks} live tasks, or its recent lag p99 is over {@code lag-slo}. A loop over
     * either is overloaded: readiness refuses traffic and the {@code taskloop.admission.*} meters
     * show it. Loops the application defines itself take their {@code EventLoop.Builder.admission}.
     */
    public static class Admission {

        /**
         * Most live tasks a loop admits; past it, spawns wait, fail or are shed (see mode). A wall
         * for a bug that spawns without end: a parked task keeps about 2.5 KB of heap (more with a deep stack), so
         * the default bounds a leak to about 250 MB.
         */
        private int maxTasks = 100000;

        /**
         * Lag (ready-to-running delay) 99th percentile, over quarter-second windows, above which a loop
         * admits no new task until the lag recovers; 0 for none.
         */
        private Duration lagSlo = Duration.ZERO;

        /**
         * What spawn does over the limit: WAIT (the spawner waits for room: an await point in a task,
         * a blocking wait elsewhere), FAIL (RejectedExecutionException) or SHED (the new task is
         * returned already cancelled and never runs).
         */
        private dev.taskloop.core.Admission.Mode mode = dev.taskloop.core.Admission.Mode.WAIT;

        public int getMaxTasks() {
            return maxTasks;
        }

        public void setMaxTasks(int maxTasks) {
            this.maxTasks = maxTasks;
        }

        public Duration getLagSlo() {
            return lagSlo;
        }

        public void setLagSlo(Duration lagSlo) {
            this.lagSlo = lagSlo;
        }

        public dev.taskloop.core.Admission.Mode getMode() {
            return mode;
        }

        public void setMode(dev.taskloop.core.Admission.Mode mode) {
            this.mode = mode;
        }

        /** The core policy these properties describe. */
        public dev.taskloop.core.Admission toPolicy() {
            return new dev.taskloop.core.Admission(maxTasks, lagSlo, mode);
        }
    }

    /**
     * Loop health: when a loop counts as stuck (health {@code DOWN}, liveness {@code BROKEN}) or
     * saturated (health {@code SATURATED}, readiness {@code REFUSING_TRAFFIC}).
     */
    public static class Health {

        /**
         * How long one task (or the loop's callbacks) may hold a loop's baton before the loop
         * counts as stuck: the health component is DOWN and liveness BROKEN while it lasts.
         */
        private Duration stuckThreshold = Duration.ofSeconds(5);

        /**
         * Lag (ready-to-running delay) 99th percentile over the lag window above which a loop
         * counts as saturated: the health component is SATURATED and readiness refuses traffic.
         */
        private Duration lagThreshold = Duration.ofMillis(250);

        /** Recent window that lag percentiles and utilization are computed over. */
        private Duration lagWindow = Duration.ofSeconds(10);

        /** How often the loops are sampled for the liveness and readiness states. */
        private Duration checkInterval = Duration.ofMillis(250);

        /**
         * Whether loop health drives the application's availability: a stuck loop publishes
         * LivenessState.BROKEN, a stuck or saturated loop ReadinessState.REFUSING_TRAFFIC.
         * Readiness always waits for the declared tasks with awaitStarted.
         */
        private boolean availability = true;

        public Duration getStuckThreshold() {
            return stuckThreshold;
        }

        public void setStuckThreshold(Duration stuckThreshold) {
            this.stuckThreshold = stuckThreshold;
        }

        public Duration getLagThreshold() {
            return lagThreshold;
        }

        public void setLagThreshold(Duration lagThreshold) {
            this.lagThreshold = lagThreshold;
        }

        public Duration getLagWindow() {
            return lagWindow;
        }

        public void setLagWindow(Duration lagWindow) {
            this.lagWindow = lagWindow;
        }

        public Duration getCheckInterval() {
            return checkInterval;
        }

        public void setCheckInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
        }

        public boolean isAvailability() {
            return availability;
        }

        public void setAvailability(boolean availability) {
            this.availability = availability;
        }
    }

    /** The {@code taskloop} Actuator endpoint (its access is management.endpoint.taskloop.access). */
    public static class Endpoint {

        /** How many recently ended tasks the endpoint remembers, with why they ended. */
        private int historySize = 100;

        /** Most tasks one GET /actuator/taskloop lists (declared tasks first); the rest are counted. */
        private int maxTasks = 1000;

        public int getHistorySize() {
            return historySize;
        }

        public void setHistorySize(int historySize) {
            this.historySize = historySize;
        }

        public int getMaxTasks() {
            return maxTasks;
        }

        public void setMaxTasks(int maxTasks) {
            this.maxTasks = maxTasks;
        }
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
         * How long tasks declared with drainOnShutdown may take to finish by themselves, after intake
         * stopped, before they are cancelled. Must be shorter than
         * spring.lifecycle.timeout-per-shutdown-phase.
         */
        private Duration drainTimeout = Duration.ofSeconds(10);

        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        /**
         * Whether SIGTERM ends the process with exit status 0 after the orderly shutdown, instead
         * of the JVM's 143. Off by default, as Spring Boot never exits on an application's behalf;
         * the demo, its image and the Helm chart turn it on.
         */
        private boolean exitZeroOnSigterm;

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
        TaskloopPropertiesValidator.validate((TaskloopProperties) target, errors);
    }
}
