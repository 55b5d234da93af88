package dev.taskloop.archfixture.badimport;

import org.springframework.context.annotation.Configuration;

/** Imported by an auto-configuration, but public: applications could import it themselves. */
@Configuration(proxyBeanMethods = false)
public class PublicConfiguration {
}
