package dev.taskloop.archfixture.benchmarks.bench;

import dev.taskloop.archfixture.benchmarks.spring.Target;

/** ArchitectureTest fixture: a benchmark on spring and on Spring Framework (forbidden). */
public final class ReachesOut {
    Target target;

    boolean springFramework(String s) {
        return org.springframework.util.StringUtils.hasText(s);
    }
}
