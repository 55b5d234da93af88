package dev.taskloop.archfixture.corelayering.demo;

/** ArchitectureTest fixture: something the core must not reach. */
public final class Target {
}
