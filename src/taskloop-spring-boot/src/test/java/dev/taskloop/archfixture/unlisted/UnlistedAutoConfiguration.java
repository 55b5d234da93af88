package dev.taskloop.archfixture.unlisted;

import org.springframework.boot.autoconfigure.AutoConfiguration;

/** Breaks "every auto-configuration is listed in the imports file". */
@AutoConfiguration
public final class UnlistedAutoConfiguration {
}
