package dev.taskloop.archfixture.autoconfigureleak.autoconfigure;

import dev.taskloop.archfixture.autoconfigureleak.autoconfigure.properties.Props;

/** ArchitectureTest fixture: an auto-configuration using its own properties (allowed). */
public final class Config {
    Props props = new Props();
}
