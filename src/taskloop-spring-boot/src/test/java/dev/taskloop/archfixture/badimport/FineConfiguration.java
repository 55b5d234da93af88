package dev.taskloop.archfixture.badimport;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Imported as it should be (package-private), and importing one that is not. */
@Configuration(proxyBeanMethods = false)
@Import(DeepPublicConfiguration.class)
class FineConfiguration {
}
