package dev.taskloop.archfixture.badimport;

import org.springframework.context.annotation.Configuration;

/** Imported through another imported configuration, and public. */
@Configuration(proxyBeanMethods = false)
public class DeepPublicConfiguration {
}
