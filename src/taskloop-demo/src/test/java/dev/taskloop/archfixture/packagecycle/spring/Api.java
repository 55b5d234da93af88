package dev.taskloop.archfixture.packagecycle.spring;

import dev.taskloop.archfixture.packagecycle.spring.support.PostProcessor;

/** ArchitectureTest fixture: spring -> spring.support, half of a cycle. */
public final class Api {
    PostProcessor postProcessor;
}
