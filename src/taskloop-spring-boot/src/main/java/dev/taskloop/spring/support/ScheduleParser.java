package dev.taskloop.spring.support;

import dev.taskloop.spring.BackgroundTask;
import dev.taskloop.spring.Overrun;
import dev.taskloop.spring.Schedule;
import dev.taskloop.spring.TaskDeclarationException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * The one parser of a declared task's schedule: {@code fixedRate}, {@code fixedDelay}, {@code cron},
 * {@code zone}, {@code initialDelay} and {@code overrun} of {@link BackgroundTask}, checked together
 * (one mode at most; each attribute only where it means something), into a {@link Schedule}. An
 * operator's new schedule ({@link #reschedule}) goes through the same checks, with the same messages.
 *
 * @since 0.1.0
 */
public final class ScheduleParser {

    /** The schedule attributes as written; an absent one is empty. */
    private record Attributes(String fixedRate, String fixedDelay, String cron, String zone, String initialDelay, Overrun overrun) {
    }

    private ScheduleParser() {
    }

    /** The schedule {@code a} declares; a {@link TaskDeclarationException} naming the attribute for any misuse. */
    static Schedule parse(BackgroundTask a, DeclarationAttributes in) {
        return parse(new Attributes(a.fixedRate(), a.fixedDelay(), a.cron(), a.zone(), a.initialDelay(), a.overrun()), in);
    }

    /**
     * A new schedule for the periodic task {@code task}, written as {@code @BackgroundTask}'s attributes
     * would be ({@code null}: absent; no placeholders), checked exactly as the annotation is.
     *
     * @param overrun {@code SKIP} or {@code CATCH_UP} (any case), or {@code null} for {@code SKIP}
     * @throws TaskDeclarationException naming the attribute, the value and what is allowed, as for the annotation;
     *     and if it names no schedule at all
     */
    public static Schedule.Periodic reschedule(String task, @Nullable String fixedRate, @Nullable String fixedDelay, @Nullable String cron,
                                               @Nullable String zone, @Nullable String initialDelay, @Nullable String overrun) {
        String where = "The new schedule of task '" + task + "'";
        if (empty(fixedRate) && empty(fixedDelay) && empty(cron)) {
            throw new TaskDeclarationException(where + " names no schedule", "give one of fixedRate, fixedDelay and cron");
        }
        Attributes a = new Attributes(text(fixedRate), text(fixedDelay), text(cron), text(zone), text(initialDelay), overrun(where, overrun));
        return (Schedule.Periodic) parse(a, new DeclarationAttributes(where, null));
    }

    private static Schedule parse(Attributes a, DeclarationAttributes in) {
        String where = in.where();
        List<String> modes = new ArrayList<>();
        if (!a.fixedRate().isBlank()) {
            modes.add("fixedRate");
        }
        if (!a.fixedDelay().isBlank()) {
            modes.add("fixedDelay");
        }
        if (!a.cron().isBlank()) {
            modes.add("cron");
        }
        if (modes.size() > 1) {
            throw new TaskDeclarationException(where + " sets " + String.join(" and ", modes), "choose one of fixedRate, fixedDelay and cron");
        }
        if (!a.zone().isBlank() && a.cron().isBlank()) {
            throw new TaskDeclarationException(where + " sets zone '" + a.zone() + "' without cron", "remove zone, or add a cron expression");
        }
        if (!a.initialDelay().isBlank() && (modes.isEmpty() || !a.cron().isBlank())) {
            throw new TaskDeclarationException(where + " sets initialDelay '" + a.initialDelay() + "' without fixedRate or fixedDelay",
                    "remove initialDelay, or make the task periodic with fixedRate or fixedDelay");
        }
        Duration initial = a.initialDelay().isBlank() ? Duration.ZERO : in.nonNegative("initialDelay", a.initialDelay());
        if (!a.fixedRate().isBlank()) {
            return new Schedule.FixedRate(in.positive("fixedRate", a.fixedRate()), initial, a.overrun());
        }
        if (!a.fixedDelay().isBlank()) {
            return new Schedule.FixedDelay(in.nonNegative("fixedDelay", a.fixedDelay()), initial);
        }
        if (!a.cron().isBlank()) {
            return cron(a, in);
        }
        if (a.overrun() != Overrun.SKIP) {
            throw new TaskDeclarationException(where + " sets overrun " + a.overrun() + " but is not periodic",
                    "remove overrun, or add fixedRate or cron");
        }
        return new Schedule.Continuous();
    }

    private static Schedule.Cron cron(Attributes a, DeclarationAttributes in) {
        String cron = in.resolve("cron", a.cron());
        CronExpression expression;
        try {
            expression = CronExpression.parse(cron);
        } catch (IllegalArgumentException e) {
            throw new TaskDeclarationException(in.where() + " has an invalid cron '" + cron + "' (" + e.getMessage() + ")",
                    "use six fields, seconds first, such as '0 */5 * * * *', or a macro such as '@hourly'");
        }
        ZoneId zone;
        try {
            zone = a.zone().isBlank() ? ZoneId.systemDefault() : ZoneId.of(in.resolve("zone", a.zone()));
        } catch (DateTimeException e) {
            throw new TaskDeclarationException(in.where() + " has an unknown zone '" + a.zone() + "'", "use a zone id such as 'UTC' or 'Europe/Paris'");
        }
        return new Schedule.Cron(expression, cron, zone, a.overrun());
    }

    private static Overrun overrun(String where, @Nullable String value) {
        if (empty(value)) {
            return Overrun.SKIP;
        }
        try {
            return Overrun.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new TaskDeclarationException(where + " has an unknown overrun '" + value + "'", "use SKIP or CATCH_UP");
        }
    }

    private static boolean empty(@Nullable String s) {
        return s == null || s.isBlank();
    }

    private static String text(@Nullable String s) {
        return s == null ? "" : s;
    }
}
