package dev.taskloop.archfixture.cycle.actuate;

import dev.taskloop.archfixture.cycle.spring.Registrar;

/** ArchitectureTest fixture: actuate -> spring, closing the cycle. */
public final class Endpoint {
    Registrar registrar;
}
