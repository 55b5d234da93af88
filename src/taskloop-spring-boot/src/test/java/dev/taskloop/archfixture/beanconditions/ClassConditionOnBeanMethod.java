package dev.taskloop.archfixture.beanconditions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Breaks "@ConditionalOnClass goes on types" (on a @Bean method it cannot keep the method's
 * signature from being loaded) and "@ConditionalOnMissingBean does not name only the method's return
 * type" (Boot deduces it).
 */
@Configuration(proxyBeanMethods = false)
class ClassConditionOnBeanMethod {

    @Bean
    @ConditionalOnClass(name = "com.example.Missing")
    Object guarded() {
        return new Object();
    }

    @Bean
    @ConditionalOnMissingBean(String.class)
    String redundant() {
        return "";
    }

    @Bean
    @ConditionalOnMissingBean
    StringBuilder fine() {
        return new StringBuilder();
    }
}
