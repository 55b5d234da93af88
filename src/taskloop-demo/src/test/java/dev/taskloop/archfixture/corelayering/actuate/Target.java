package dev.taskloop.archfixture.corelayering.actuate;

/** ArchitectureTest fixture: something the core must not reach. */
public final class Target {
}
