package dev.taskloop.archfixture.notfinal;

import org.springframework.boot.autoconfigure.AutoConfiguration;

/** Breaks "auto-configurations are public final": not final. */
@AutoConfiguration
public class NotFinalAutoConfiguration {
}
