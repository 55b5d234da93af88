package dev.taskloop.archfixture.layers.spring.support;

import dev.taskloop.archfixture.layers.spring.UsesSupport;

/** Uses the API back: with {@link UsesSupport}, a package cycle. */
public final class Internal {

    UsesSupport api() {
        return new UsesSupport();
    }
}
