package dev.taskloop.archfixture.badimport;

import org.springframework.context.annotation.Configuration;

/** Imported, package-private, but a @Configuration: a component scan of its package would register it a second time. */
@Configuration(proxyBeanMethods = false)
class ScannableConfiguration {
}
