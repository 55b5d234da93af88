package dev.taskloop.archfixture.userapi.core;

/** ArchitectureTest fixture: the core's API (allowed to applications). */
public final class Api {
}
