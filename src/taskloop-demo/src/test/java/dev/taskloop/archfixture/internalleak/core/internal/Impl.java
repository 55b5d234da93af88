package dev.taskloop.archfixture.internalleak.core.internal;

import dev.taskloop.archfixture.internalleak.core.Api;

/** ArchitectureTest fixture: the implementation of the API. */
public final class Impl implements Api {
}
