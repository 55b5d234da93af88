package dev.taskloop.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.env.Environment;

/**
 * A Taskloop property whose value is not even of the right kind (a malformed duration, a word where
 * a number or a boolean goes, a number too big, an unknown enum value) stops startup with the
 * property, the value and what is allowed, in words: Spring Boot's own report says only which Java
 * type the value failed to convert to. Ordered ahead of Spring Boot's analyzers.
 *
 * <p>Also covers the properties read by conditions ({@code taskloop.enabled},
 * {@code management.endpoint.taskloop.access}, {@code management.health.taskloop.enabled}), whose
 * conversion failures Spring Boot reports without naming the property.
 */
class TaskloopPropertyFailureAnalyzer implements FailureAnalyzer, Ordered {

    /** Properties that Taskloop's conditions read, where a conversion failure does not name its property. */
    private static final List<String> CONDITION_PROPERTIES = List.of("taskloop.enabled", "management.endpoint.taskloop.access",
            "management.health.taskloop.enabled", "taskloop.shutdown.exit-zero-on-sigterm", "taskloop.keep-alive");

    private final @Nullable Environment environment;

    TaskloopPropertyFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        ConversionFailedException conversion = find(failure, ConversionFailedException.class);
        if (conversion == null) {
            return null;
        }
        BindException bind = find(failure, BindException.class);
        String name;
        Object value;
        String origin = "";
        if (bind != null) {
            name = bind.getName().toString();
            if (!name.startsWith("taskloop.") && !CONDITION_PROPERTIES.contains(name)) {
                return null;
            }
            value = bind.getProperty() != null ? bind.getProperty().getValue() : conversion.getValue();
            Origin o = bind.getProperty() != null ? bind.getProperty().getOrigin() : null;
            origin = o == null ? "" : " (from " + o + ")";
        } else {
            name = conditionProperty(failure, conversion.getValue());
            if (name == null) {
                return null;
            }
            value = conversion.getValue();
        }
        String allowed = allowed(conversion.getTargetType());
        return new FailureAnalysis("Property " + name + " has the value '" + value + "'" + origin + ", which is not " + allowed + ".",
                "Set " + name + " to " + allowed + ".", failure);
    }

    /** Which condition property holds {@code value}, if the failure comes from one of Taskloop's conditions. */
    private @Nullable String conditionProperty(Throwable failure, @Nullable Object value) {
        boolean ours = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IllegalStateException && t.getMessage() != null
                    && t.getMessage().startsWith("Error processing condition on dev.taskloop.")) {
                ours = true;
            }
        }
        if (!ours || environment == null || value == null) {
            return null;
        }
        for (String name : CONDITION_PROPERTIES) {
            if (value.toString().equals(environment.getProperty(name))) {
                return name;
            }
        }
        return null;
    }

    /** What a value of this type may be, in words. */
    static String allowed(@Nullable TypeDescriptor type) {
        Class<?> c = type == null ? Object.class : type.getObjectType();
        if (c == Duration.class) {
            return "a duration such as 250ms, 5s, 2m or PT1M (a bare number means milliseconds)";
        }
        if (c == Boolean.class) {
            return "true or false";
        }
        if (c == Integer.class) {
            return "a whole number no larger than " + Integer.MAX_VALUE;
        }
        if (c == Long.class) {
            return "a whole number no larger than " + Long.MAX_VALUE;
        }
        if (c.isEnum()) {
            return "one of " + Arrays.stream(c.getEnumConstants())
                    .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", ")) + " (in any case)";
        }
        return "a " + c.getSimpleName();
    }

    private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
