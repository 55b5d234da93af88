package dev.taskloop.archfixture.layers.spring;

import dev.taskloop.archfixture.layers.spring.support.Internal;

/** Breaks "the user API does not depend on the internals". */
public final class UsesSupport {

    Internal internal() {
        return new Internal();
    }
}
