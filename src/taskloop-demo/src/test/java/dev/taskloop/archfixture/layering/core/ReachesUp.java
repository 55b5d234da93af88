package dev.taskloop.archfixture.layering.core;

import dev.taskloop.archfixture.layering.spring.Api;

/** ArchitectureTest fixture: core -> spring (forbidden: the core depends on nothing). */
public final class ReachesUp {
    Api api;
}
