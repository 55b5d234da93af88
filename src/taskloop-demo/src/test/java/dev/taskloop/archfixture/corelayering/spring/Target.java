package dev.taskloop.archfixture.corelayering.spring;

/** ArchitectureTest fixture: something the core must not reach. */
public final class Target {
}
