package dev.taskloop.archfixture.userapi.spring.support;

/** ArchitectureTest fixture: spring's internals. */
public final class Wiring {
}
