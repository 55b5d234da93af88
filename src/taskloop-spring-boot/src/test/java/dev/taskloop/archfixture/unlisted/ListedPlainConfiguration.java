package dev.taskloop.archfixture.unlisted;

import org.springframework.context.annotation.Configuration;

/** Breaks "the imports file lists only auto-configurations": listed (by the test), but a plain configuration. */
@Configuration(proxyBeanMethods = false)
public final class ListedPlainConfiguration {
}
