package dev.taskloop.archfixture.userapi.autoconfigure;

/** ArchitectureTest fixture: an auto-configuration. */
public final class Config {
}
