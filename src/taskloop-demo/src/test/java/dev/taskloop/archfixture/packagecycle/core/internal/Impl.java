package dev.taskloop.archfixture.packagecycle.core.internal;

import dev.taskloop.archfixture.packagecycle.core.Api;

/** ArchitectureTest fixture: the implementation of the core's API. */
public final class Impl implements Api {
}
