package dev.taskloop.archfixture.packagecycle.spring.support;

import dev.taskloop.archfixture.packagecycle.spring.Api;

/** ArchitectureTest fixture: spring.support -> spring, closing the cycle. */
public final class PostProcessor {
    Api api;
}
