package dev.taskloop.autoconfigure;

import dev.taskloop.spring.leader.LeaseTimings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.validation.Errors;

/**
 * Every check of Taskloop's property values, in one place: those of {@code taskloop.*}
 * ({@link TaskloopProperties}) and {@code taskloop.leader.*} ({@link TaskloopLeaderProperties}), run
 * by the binder as each class is bound (each delegates its {@code validate} here), and the one check
 * against a property of Spring's ({@link #checkShutdownBudgets}), run when the lifecycle is created.
 * A wrong value stops the application at startup with the property, the value and what is allowed;
 * the words are part of the product (the README's bad-input table quotes them).
 */
final class TaskloopPropertiesValidator {

    private static final Pattern LOOP_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Pattern LEASE_PREFIX = Pattern.compile("([a-z0-9][-a-z0-9.]{0,180})?");

    private TaskloopPropertiesValidator() {
    }

    // ------------------------------------------------------------------ taskloop.*

    static void validate(TaskloopProperties p, Errors errors) {
        if (p.getBackend() == null) {
            errors.rejectValue("backend", "required", "must be one of virtual-threads or loop-carrier");
        }
        List<String> loops = p.getLoops();
        if (loops == null || loops.isEmpty()) {
            errors.rejectValue("loops", "empty", "must name at least one loop (the first is the default loop), e.g. main");
        } else {
            Set<String> seen = new HashSet<>();
            for (String name : loops) {
                if (name == null || !LOOP_NAME.matcher(name).matches()) {
                    errors.rejectValue("loops", "name", "loop name '" + name
                            + "' must be 1 to 63 lower-case letters, digits or dashes, starting and ending with a letter or digit");
                } else if (!seen.add(name)) {
                    errors.rejectValue("loops", "duplicate", "loop name '" + name + "' appears twice; loop names must be unique");
                }
            }
        }
        Duration slow = p.getSlowStepThreshold();
        if (slow == null || slow.isNegative() || slow.isZero()) {
            errors.rejectValue("slowStepThreshold", "positive", "must be a positive duration, e.g. 100ms");
        }
        Duration ri = p.getReportInterval();
        if (ri == null || ri.isNegative()) {
            errors.rejectValue("reportInterval", "nonNegative", "must be zero (every report in full) or a positive duration, e.g. 1m");
        }
        Duration d = p.getShutdown().getDrainTimeout();
        if (d == null || d.isNegative()) {
            errors.rejectValue("shutdown.drainTimeout", "nonNegative", "must be zero or a positive duration, e.g. 10s");
        }
        Duration t = p.getShutdown().getTimeout();
        if (t == null || t.isNegative()) {
            errors.rejectValue("shutdown.timeout", "nonNegative", "must be zero or a positive duration, e.g. 20s");
        }
        validateHealth(p.getHealth(), errors);
        if (p.getEndpoint().getHistorySize() < 0) {
            errors.rejectValue("endpoint.historySize", "nonNegative", "must be zero (no history) or more, e.g. 100");
        }
        if (p.getEndpoint().getMaxTasks() < 1) {
            errors.rejectValue("endpoint.maxTasks", "positive", "must be at least 1, e.g. 1000");
        }
        TaskloopProperties.Admission a = p.getAdmission();
        if (a.getMaxTasks() < 1) {
            errors.rejectValue("admission.maxTasks", "positive",
                    "must be at least 1 live task per loop, e.g. 100000 (the default); a limit is always on, raise it rather than remove it");
        }
        Duration slo = a.getLagSlo();
        if (slo == null || slo.isNegative()) {
            errors.rejectValue("admission.lagSlo", "nonNegative", "must be zero (no lag SLO) or a positive duration, e.g. 250ms");
        }
        if (a.getMode() == null) {
            errors.rejectValue("admission.mode", "required", "must be one of WAIT, FAIL or SHED");
        }
    }

    private static void validateHealth(TaskloopProperties.Health h, Errors errors) {
        boolean ok = true;
        ok &= positive(h.getStuckThreshold(), "health.stuckThreshold", "5s", errors);
        ok &= positive(h.getLagThreshold(), "health.lagThreshold", "250ms", errors);
        ok &= positive(h.getLagWindow(), "health.lagWindow", "10s", errors);
        ok &= positive(h.getCheckInterval(), "health.checkInterval", "250ms", errors);
        if (!ok) {
            return;
        }
        if (h.getCheckInterval().compareTo(h.getStuckThreshold()) > 0) {
            errors.rejectValue("health.checkInterval", "tooLong", "must not be longer than taskloop.health.stuck-threshold ("
                    + h.getStuckThreshold() + "): a stuck loop would be noticed late; shorten it, e.g. 250ms");
        }
        if (h.getLagWindow().compareTo(h.getCheckInterval().multipliedBy(4)) < 0) {
            errors.rejectValue("health.lagWindow", "tooShort", "must be at least 4 times taskloop.health.check-interval ("
                    + h.getCheckInterval() + ") so that the window holds several samples; lengthen it, e.g. 10s");
        }
    }

    // ------------------------------------------------------------------ taskloop.leader.*

    static void validate(TaskloopLeaderProperties l, Errors errors) {
        boolean ok = true;
        ok &= positive(l.getLeaseDuration(), "leaseDuration", "15s", errors);
        ok &= positive(l.getRenewDeadline(), "renewDeadline", "10s", errors);
        ok &= positive(l.getRetryPeriod(), "retryPeriod", "2s", errors);
        if (ok) {
            String problem = LeaseTimings.problem(l.getLeaseDuration(), l.getRenewDeadline(), l.getRetryPeriod());
            if (problem != null) {
                errors.rejectValue("renewDeadline", "inconsistent", problem);
            }
        }
        String table = l.getJdbc().getTablePrefix();
        if (table == null || !TABLE_PREFIX.matcher(table + "LOCK").matches()) {
            errors.rejectValue("jdbc.tablePrefix", "name", "table prefix '" + table
                    + "' does not make a table name; use letters, digits and underscores, e.g. INT_");
        }
        String lease = l.getKubernetes().getLeaseNamePrefix();
        if (lease == null || !LEASE_PREFIX.matcher(lease).matches()) {
            errors.rejectValue("kubernetes.leaseNamePrefix", "name", "Lease name prefix '" + lease
                    + "' cannot start a Kubernetes object name; use lower-case letters, digits, '-' and '.', starting with a"
                    + " letter or digit, e.g. orders-");
        }
    }

    // ------------------------------------------------------------------ against Spring's own properties

    /**
     * Both shutdown budgets must be shorter than {@code spring.lifecycle.timeout-per-shutdown-phase}
     * ({@code phaseTimeout}): Spring stops waiting for a lifecycle after it, cutting off tasks still
     * cleaning up.
     *
     * @throws InvalidConfigurationPropertyValueException naming the budget that is not
     */
    static void checkShutdownBudgets(TaskloopProperties.Shutdown shutdown, Duration phaseTimeout) {
        Duration timeout = shutdown.getTimeout();
        Duration drain = shutdown.getDrainTimeout();
        if (timeout.compareTo(phaseTimeout) >= 0) {
            throw new InvalidConfigurationPropertyValueException("taskloop.shutdown.timeout", timeout,
                    "taskloop.shutdown.timeout (" + timeout + ") must be shorter than "
                    + "spring.lifecycle.timeout-per-shutdown-phase (" + phaseTimeout + "): Spring stops waiting for the loops after that,"
                    + " cutting off tasks still cleaning up; lower taskloop.shutdown.timeout or raise the phase timeout");
        }
        if (drain.compareTo(phaseTimeout) >= 0) {
            throw new InvalidConfigurationPropertyValueException("taskloop.shutdown.drain-timeout", drain,
                    "taskloop.shutdown.drain-timeout (" + drain + ") must be shorter than "
                    + "spring.lifecycle.timeout-per-shutdown-phase (" + phaseTimeout + "): Spring stops waiting for the drain after that;"
                    + " lower taskloop.shutdown.drain-timeout or raise the phase timeout");
        }
    }

    private static boolean positive(@Nullable Duration d, String field, String example, Errors errors) {
        if (d == null || d.isNegative() || d.isZero()) {
            errors.rejectValue(field, "positive", "must be a positive duration, e.g. " + example);
            return false;
        }
        return true;
    }
}
