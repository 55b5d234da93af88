package dev.taskloop.archfixture.layering.actuate;

import dev.taskloop.archfixture.layering.core.Base;
import dev.taskloop.archfixture.layering.spring.Api;

/** ArchitectureTest fixture: actuate -> spring, core (allowed). */
public class Endpoint {
    Api api;
    Base base;
}
