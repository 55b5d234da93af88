package dev.taskloop.archfixture.badimport;

import org.springframework.boot.autoconfigure.AutoConfiguration;

/** Imported by an auto-configuration, but an auto-configuration itself (it would be loaded twice, out of order). */
@AutoConfiguration
public final class OtherAutoConfiguration {
}
