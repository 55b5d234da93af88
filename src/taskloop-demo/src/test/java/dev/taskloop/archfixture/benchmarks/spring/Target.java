package dev.taskloop.archfixture.benchmarks.spring;

/** ArchitectureTest fixture: something the benchmarks must not reach. */
public final class Target {
}
