package dev.taskloop.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@code taskloop.enabled}, read strictly: true (or absent) turns Taskloop on, false off, and
 * anything else stops startup naming the property ({@code @ConditionalOnBooleanProperty} would take
 * {@code taskloop.enabled=ture} for false and switch every background task off without a word).
 */
class TaskloopEnabledCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        boolean enabled = Binder.get(context.getEnvironment()).bind("taskloop.enabled", Boolean.class).orElse(true);
        return enabled ? ConditionOutcome.match("taskloop.enabled is true or not set")
                : ConditionOutcome.noMatch("taskloop.enabled is false");
    }
}
