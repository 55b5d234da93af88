package dev.taskloop.archfixture.beanconditions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Configuration;

/** Breaks "a bare bean condition goes on a @Bean method": on a type there is no return type to deduce what it means. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean
@ConditionalOnBean
class BareConditionOnType {
}
