package dev.taskloop.archfixture.badimport;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/** Breaks "what an auto-configuration imports is package-private and no auto-configuration", twice. */
@AutoConfiguration
@Import({PublicConfiguration.class, OtherAutoConfiguration.class, FineConfiguration.class})
public final class ImportingAutoConfiguration {
}
