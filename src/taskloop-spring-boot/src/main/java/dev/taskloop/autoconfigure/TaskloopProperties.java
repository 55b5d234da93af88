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

    /**
     * Whether a non-daemon thread keeps the JVM alive while the application's declared tasks run (their
     * virtual threads do not), so that a worker without a web server runs until it is stopped.
     */
    private boolean keepAlive = true;

    private final Shutdown shutdown = new Shutdown();

    private final Health health = new Health();

    private final Endpoint endpoint = new Endpoint();

    private final Leader leader = new Leader();
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

    public Health getHealth() {
        return health;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    public Leader getLeader() {
        return leader;
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
         * The most live tasks a loop admits; past it, spawns wait, fail or are shed (see mode). A wall
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

        /** The recent window that lag percentiles and utilization are computed over. */
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

        /** The most tasks one GET /actuator/taskloop lists (declared tasks first); the rest are counted. */
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
        Duration d = p.shutdown.drainTimeout;
        if (d == null || d.isNegative()) {
            errors.rejectValue("shutdown.drainTimeout", "nonNegative", "must be zero or a positive duration, e.g. 10s");
        }
        Duration t = p.shutdown.timeout;
        if (t == null || t.isNegative()) {
            errors.rejectValue("shutdown.timeout", "nonNegative", "must be zero or a positive duration, e.g. 20s");
        }
        validateHealth(p.health, errors);
        if (p.endpoint.historySize < 0) {
            errors.rejectValue("endpoint.historySize", "nonNegative", "must be zero (no history) or more, e.g. 100");
        }
        if (p.endpoint.maxTasks < 1) {
            errors.rejectValue("endpoint.maxTasks", "positive", "must be at least 1, e.g. 1000");
        }
        Leader.validate(p.leader, errors);
        if (p.admission.maxTasks < 1) {
            errors.rejectValue("admission.maxTasks", "positive",
                    "must be at least 1 live task per loop, e.g. 100000 (the default); a limit is always on, raise it rather than remove it");
        }
        Duration slo = p.admission.lagSlo;
        if (slo == null || slo.isNegative()) {
            errors.rejectValue("admission.lagSlo", "nonNegative", "must be zero (no lag SLO) or a positive duration, e.g. 250ms");
        }
        if (p.admission.mode == null) {
            errors.rejectValue("admission.mode", "required", "must be one of WAIT, FAIL or SHED");
        }
    }

    private static void validateHealth(Health h, Errors errors) {
        boolean ok = true;
        ok &= positive(h.stuckThreshold, "health.stuckThreshold", "5s", errors);
        ok &= positive(h.lagThreshold, "health.lagThreshold", "250ms", errors);
        ok &= positive(h.lagWindow, "health.lagWindow", "10s", errors);
        ok &= positive(h.checkInterval, "health.checkInterval", "250ms", errors);
        if (!ok) {
            return;
        }
        if (h.checkInterval.compareTo(h.stuckThreshold) > 0) {
            errors.rejectValue("health.checkInterval", "tooLong", "must not be longer than taskloop.health.stuck-threshold ("
                    + h.stuckThreshold + "): a stuck loop would be noticed late; shorten it, e.g. 250ms");
        }
        if (h.lagWindow.compareTo(h.checkInterval.multipliedBy(4)) < 0) {
            errors.rejectValue("health.lagWindow", "tooShort", "must be at least 4 times taskloop.health.check-interval ("
                    + h.checkInterval + ") so that the window holds several samples; lengthen it, e.g. 10s");
        }
    }

    private static boolean positive(Duration d, String field, String example, Errors errors) {
        if (d == null || d.isNegative() || d.isZero()) {
            errors.rejectValue(field, "positive", "must be a positive duration, e.g. " + example);
            return false;
        }
        return true;
    }

    /**
     * Leader election for singleton tasks ({@code @BackgroundTask(singleton = ...)}): which
     * coordination elects the replica that runs them, and how fast leadership moves. The timings
     * mean what they mean in Kubernetes' client-go (whose defaults they are).
     */
    public static class Leader {

        private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
        private static final Pattern LEASE_PREFIX = Pattern.compile("([a-z0-9][-a-z0-9.]{0,180})?");

        /**
         * The coordination that elects the leader: "jdbc" (a lock row in the application's
         * database, through Spring Integration's JdbcLockRegistry), "kubernetes" (a
         * coordination.k8s.io Lease, through the fabric8 client), "none" (no coordination: every
         * replica leads; development and single-replica deployments only), or "auto": the one
         * available (spring-integration-jdbc and a DataSource; the fabric8 client inside Kubernetes
         * or as a bean), and a startup failure naming the choices when singletons are declared
         * and there is none, or more than one.
         */
        private Backend backend = Backend.AUTO;

        /**
         * This replica's identity in the elections (the Lease holder). Default: the POD_NAME
         * environment variable (the downward API), else HOSTNAME, else the host name.
         */
        private String identity;

        /**
         * How long a lease stays valid after its last renewal: another replica takes over a
         * leader that died without giving up after at most this (plus one retry period).
         */
        private Duration leaseDuration = Duration.ofSeconds(15);

        /**
         * How long the leader keeps trying to renew its lease before it stops leading by itself
         * (its singletons are cancelled). Shorter than the lease duration: the difference is the
         * time its singletons have to end before another replica may start them.
         */
        private Duration renewDeadline = Duration.ofSeconds(10);

        /** How often the leader renews its lease and the other replicas try to acquire it. */
        private Duration retryPeriod = Duration.ofSeconds(2);

        private final Jdbc jdbc = new Jdbc();

        private final Kubernetes kubernetes = new Kubernetes();

        /** The coordination that elects the leader of singleton tasks. */
        public enum Backend {
            /** The backend available on the classpath and in the context; a failure if none or several. */
            AUTO,
            /** A lock row in the application's database (Spring Integration's JdbcLockRegistry). */
            JDBC,
            /** A coordination.k8s.io Lease (the fabric8 client's LeaderElector). */
            KUBERNETES,
            /** No coordination: this replica leads every election. */
            NONE
        }

        public Backend getBackend() {
            return backend;
        }

        public void setBackend(Backend backend) {
            this.backend = backend;
        }

        public String getIdentity() {
            return identity;
        }

        public void setIdentity(String identity) {
            this.identity = identity;
        }

        public Duration getLeaseDuration() {
            return leaseDuration;
        }

        public void setLeaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
        }

        public Duration getRenewDeadline() {
            return renewDeadline;
        }

        public void setRenewDeadline(Duration renewDeadline) {
            this.renewDeadline = renewDeadline;
        }

        public Duration getRetryPeriod() {
            return retryPeriod;
        }

        public void setRetryPeriod(Duration retryPeriod) {
            this.retryPeriod = retryPeriod;
        }

        public Jdbc getJdbc() {
            return jdbc;
        }

        public Kubernetes getKubernetes() {
            return kubernetes;
        }

        /** The JDBC backend. */
        public static class Jdbc {

            /**
             * Prefix of Spring Integration's lock table, which the application creates (Flyway,
             * Liquibase, or Spring Integration's schema-*.sql): the table is <prefix>LOCK.
             */
            private String tablePrefix = "INT_";

            public String getTablePrefix() {
                return tablePrefix;
            }

            public void setTablePrefix(String tablePrefix) {
                this.tablePrefix = tablePrefix;
            }
        }

        /** The Kubernetes Lease backend. */
        public static class Kubernetes {

            /**
             * Namespace of the Leases. Default: the POD_NAMESPACE environment variable, else the
             * client's namespace (in a pod, the pod's own).
             */
            private String namespace;

            /**
             * Prepended to the election name to make the Lease name, so that applications sharing a
             * namespace do not share elections (the Helm chart sets "<release>-").
             */
            private String leaseNamePrefix = "";

            public String getNamespace() {
                return namespace;
            }

            public void setNamespace(String namespace) {
                this.namespace = namespace;
            }

            public String getLeaseNamePrefix() {
                return leaseNamePrefix;
            }

            public void setLeaseNamePrefix(String leaseNamePrefix) {
                this.leaseNamePrefix = leaseNamePrefix;
            }
        }

        static void validate(Leader l, Errors errors) {
            boolean ok = true;
            ok &= positive(l.leaseDuration, "leader.leaseDuration", "15s", errors);
            ok &= positive(l.renewDeadline, "leader.renewDeadline", "10s", errors);
            ok &= positive(l.retryPeriod, "leader.retryPeriod", "2s", errors);
            if (ok) {
                String problem = dev.taskloop.spring.leader.LeaseTimings.problem(l.leaseDuration, l.renewDeadline, l.retryPeriod);
                if (problem != null) {
                    errors.rejectValue("leader.renewDeadline", "inconsistent", problem);
                }
            }
            if (l.jdbc.tablePrefix == null || !TABLE_PREFIX.matcher(l.jdbc.tablePrefix + "LOCK").matches()) {
                errors.rejectValue("leader.jdbc.tablePrefix", "name", "table prefix '" + l.jdbc.tablePrefix
                        + "' does not make a table name; use letters, digits and underscores, e.g. INT_");
            }
            if (l.kubernetes.leaseNamePrefix == null || !LEASE_PREFIX.matcher(l.kubernetes.leaseNamePrefix).matches()) {
                errors.rejectValue("leader.kubernetes.leaseNamePrefix", "name", "Lease name prefix '" + l.kubernetes.leaseNamePrefix
                        + "' cannot start a Kubernetes object name; use lower-case letters, digits, '-' and '.', starting with a"
                        + " letter or digit, e.g. orders-");
            }
        }
    }
}
