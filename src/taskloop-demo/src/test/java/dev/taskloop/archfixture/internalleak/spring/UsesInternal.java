package dev.taskloop.archfixture.internalleak.spring;

import dev.taskloop.archfixture.internalleak.core.internal.Impl;

/** ArchitectureTest fixture: an integration that reaches into core.internal (forbidden). */
public final class UsesInternal {
    Impl impl = new Impl();
}
