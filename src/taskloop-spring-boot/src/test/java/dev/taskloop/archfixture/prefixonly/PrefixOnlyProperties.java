package dev.taskloop.archfixture.prefixonly;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Breaks "@ConfigurationProperties names its prefix as value, not prefix". */
@ConfigurationProperties(prefix = "fixture")
class PrefixOnlyProperties {
}
