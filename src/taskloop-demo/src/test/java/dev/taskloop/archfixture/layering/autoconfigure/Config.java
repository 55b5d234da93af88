package dev.taskloop.archfixture.layering.autoconfigure;

import dev.taskloop.archfixture.layering.actuate.Endpoint;
import dev.taskloop.archfixture.layering.core.Base;
import dev.taskloop.archfixture.layering.spring.Api;

/** ArchitectureTest fixture: autoconfigure -> actuate, spring, core (allowed). */
public class Config {
    Endpoint endpoint;
    Api api;
    Base base;
}
