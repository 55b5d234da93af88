package dev.taskloop.archfixture.layering.spring;

import dev.taskloop.archfixture.layering.core.Base;

/** ArchitectureTest fixture: spring -> core (allowed). */
public class Api {
    Base base;
}
