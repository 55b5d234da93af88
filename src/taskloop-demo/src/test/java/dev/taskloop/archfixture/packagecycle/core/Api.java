package dev.taskloop.archfixture.packagecycle.core;

import dev.taskloop.archfixture.packagecycle.core.internal.Impl;

/** ArchitectureTest fixture: the core's API, created by its implementation (allowed, both ways). */
public interface Api {
    static Api create() {
        return new Impl();
    }
}
