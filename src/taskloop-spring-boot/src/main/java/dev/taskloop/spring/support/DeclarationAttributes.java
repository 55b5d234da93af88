package dev.taskloop.spring.support;

import dev.taskloop.spring.TaskDeclarationException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

/**
 * The attribute values of one annotated method or class, read as the declaration wants them:
 * placeholders resolved, durations parsed and checked. Every bad value throws a
 * {@link TaskDeclarationException} that starts with {@code where} (the bean and the method or class),
 * names the attribute and the value, and says what is allowed.
 */
final class DeclarationAttributes {

    private final String where;
    private final @Nullable Environment environment;

    /**
     * @param where the annotated element, as messages name it ({@code @BackgroundTask method X.m() of bean 'b'})
     * @param environment resolves placeholders; {@code null}: values are taken as written
     */
    DeclarationAttributes(String where, @Nullable Environment environment) {
        this.where = where;
        this.environment = environment;
    }

    /** The annotated element, as messages name it. */
    String where() {
        return where;
    }

    /** The value with its {@code ${...}} placeholders resolved. */
    String resolve(String attribute, String value) {
        try {
            return environment == null ? value : environment.resolveRequiredPlaceholders(value);
        } catch (IllegalArgumentException e) {
            throw new TaskDeclarationException(where + " has " + attribute + " '" + value + "' with a placeholder that cannot be resolved ("
                    + e.getMessage() + ")", "define the property, or give the placeholder a default: ${name:default}");
        }
    }

    /** A Spring Boot duration ({@code 500ms}, {@code 30s}, {@code PT1M}), placeholders resolved. */
    Duration duration(String attribute, String value) {
        String resolved = resolve(attribute, value);
        try {
            return DurationStyle.detectAndParse(resolved);
        } catch (IllegalArgumentException e) {
            throw new TaskDeclarationException(where + " has an invalid " + attribute + " '" + resolved + "'",
                    "use a duration such as 500ms, 30s, 5m or PT1M");
        }
    }

    /** A duration of zero or more. */
    Duration nonNegative(String attribute, String value) {
        Duration d = duration(attribute, value);
        if (d.isNegative()) {
            throw new TaskDeclarationException(where + " has a negative " + attribute + " '" + value + "'", "use a duration of zero or more");
        }
        return d;
    }

    /** A duration greater than zero. */
    Duration positive(String attribute, String value) {
        Duration d = duration(attribute, value);
        if (d.isNegative() || d.isZero()) {
            throw new TaskDeclarationException(where + " has " + attribute + " '" + value + "', which is not positive",
                    "use a duration greater than zero");
        }
        return d;
    }

    /** A number of restarts: zero or more. */
    int restarts(String attribute, int value) {
        if (value < 0) {
            throw new TaskDeclarationException(where + " has " + attribute + " " + value, "use 0 (no restarts) or more");
        }
        return value;
    }
}
