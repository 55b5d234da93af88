package dev.taskloop.archfixture.layering.demo;

import dev.taskloop.archfixture.layering.actuate.Endpoint;
import dev.taskloop.archfixture.layering.core.Base;
import dev.taskloop.archfixture.layering.spring.Api;

/** ArchitectureTest fixture: demo -> actuate, spring, core (allowed). */
public final class App {
    Endpoint endpoint;
    Api api;
    Base base;
}
