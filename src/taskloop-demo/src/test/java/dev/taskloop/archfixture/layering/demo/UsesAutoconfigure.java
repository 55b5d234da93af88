package dev.taskloop.archfixture.layering.demo;

import dev.taskloop.archfixture.layering.autoconfigure.Config;

/** ArchitectureTest fixture: demo -> autoconfigure (forbidden: nothing imports autoconfigure). */
public final class UsesAutoconfigure {
    Config config;
}
