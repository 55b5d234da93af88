package dev.taskloop.archfixture.layering.bench;

import dev.taskloop.archfixture.layering.spring.Api;

/** ArchitectureTest fixture: benchmarks -> spring (forbidden: the benchmarks measure the core alone). */
public final class UsesSpring {
    Api api;
}
