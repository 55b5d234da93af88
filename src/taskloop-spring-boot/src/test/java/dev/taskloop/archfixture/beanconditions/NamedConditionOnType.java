package dev.taskloop.archfixture.beanconditions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Configuration;

/** Allowed: a bean condition on a type that names what it stands for (an alternative configuration). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(StringBuilder.class)
class NamedConditionOnType {
}
