package dev.taskloop.archfixture.userapi.example;

import dev.taskloop.archfixture.userapi.actuate.Endpoint;
import dev.taskloop.archfixture.userapi.autoconfigure.Config;
import dev.taskloop.archfixture.userapi.core.internal.Impl;
import dev.taskloop.archfixture.userapi.spring.support.Wiring;

/** ArchitectureTest fixture: an application on the library's internals (forbidden, once per package). */
public final class UsesInternals {
    Impl impl;
    Wiring wiring;
    Endpoint endpoint;
    Config config;
}
