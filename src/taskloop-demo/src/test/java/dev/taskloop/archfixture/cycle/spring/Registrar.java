package dev.taskloop.archfixture.cycle.spring;

import dev.taskloop.archfixture.cycle.actuate.Endpoint;

/** ArchitectureTest fixture: spring -> actuate, half of a cycle. */
public final class Registrar {
    Endpoint endpoint;
}
