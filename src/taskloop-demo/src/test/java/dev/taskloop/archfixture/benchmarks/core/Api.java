package dev.taskloop.archfixture.benchmarks.core;

/** ArchitectureTest fixture: the core's API. */
public final class Api {
}
