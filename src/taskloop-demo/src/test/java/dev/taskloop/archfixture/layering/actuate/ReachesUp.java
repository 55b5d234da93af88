package dev.taskloop.archfixture.layering.actuate;

import dev.taskloop.archfixture.layering.autoconfigure.Config;

/** ArchitectureTest fixture: actuate -> autoconfigure (forbidden: autoconfigure is on top of actuate). */
public final class ReachesUp {
    Config config;
}
