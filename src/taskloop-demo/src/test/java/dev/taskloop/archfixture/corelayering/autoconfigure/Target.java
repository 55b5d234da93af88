package dev.taskloop.archfixture.corelayering.autoconfigure;

/** ArchitectureTest fixture: something the core must not reach. */
public final class Target {
}
