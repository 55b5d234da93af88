package dev.taskloop.archfixture.layering.example;

import dev.taskloop.archfixture.layering.core.Base;
import dev.taskloop.archfixture.layering.spring.Api;

/** ArchitectureTest fixture: an application -> spring, core (allowed). */
public final class Worker {
    Api api;
    Base base;
}
