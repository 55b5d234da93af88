package dev.taskloop.archfixture.internalleak.core;

import dev.taskloop.archfixture.internalleak.core.internal.Impl;

/** ArchitectureTest fixture: public API implemented in core.internal (allowed, both ways). */
public interface Api {
    static Api create() {
        return new Impl();
    }
}
