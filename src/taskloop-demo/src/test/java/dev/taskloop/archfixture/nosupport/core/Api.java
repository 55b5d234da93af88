package dev.taskloop.archfixture.nosupport.core;

/** ArchitectureTest fixture: the core's API. */
public final class Api {
}
