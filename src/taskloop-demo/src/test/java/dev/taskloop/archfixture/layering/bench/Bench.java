package dev.taskloop.archfixture.layering.bench;

import dev.taskloop.archfixture.layering.core.Base;

/** ArchitectureTest fixture: benchmarks -> core (allowed). */
public final class Bench {
    Base base;
}
