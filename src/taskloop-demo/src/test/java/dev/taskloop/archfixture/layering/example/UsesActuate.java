package dev.taskloop.archfixture.layering.example;

import dev.taskloop.archfixture.layering.actuate.Endpoint;

/** ArchitectureTest fixture: an application -> actuate (forbidden: applications use the core and spring). */
public final class UsesActuate {
    Endpoint endpoint;
}
