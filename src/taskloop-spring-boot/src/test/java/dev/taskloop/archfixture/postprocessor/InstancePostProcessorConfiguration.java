package dev.taskloop.archfixture.postprocessor;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Breaks "bean post-processors are declared by static @Bean methods" (else their configuration is created too early). */
@Configuration(proxyBeanMethods = false)
class InstancePostProcessorConfiguration {

    @Bean
    BeanPostProcessor processor() {
        return new BeanPostProcessor() {
        };
    }
}
