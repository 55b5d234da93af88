package dev.taskloop.archfixture.notfinal;

import org.springframework.boot.autoconfigure.AutoConfiguration;

/** Breaks "auto-configurations are public". */
@AutoConfiguration
final class PackagePrivateAutoConfiguration {
}
