package dev.taskloop.archfixture.layering.spring;

import dev.taskloop.archfixture.layering.actuate.Endpoint;

/** ArchitectureTest fixture: spring -> actuate (forbidden: actuate is on top of spring). */
public final class ReachesUp {
    Endpoint endpoint;
}
