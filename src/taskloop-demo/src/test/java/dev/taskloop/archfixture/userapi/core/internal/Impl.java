package dev.taskloop.archfixture.userapi.core.internal;

/** ArchitectureTest fixture: the core's internals. */
public final class Impl {
}
