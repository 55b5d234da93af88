package dev.taskloop.archfixture.benchmarks.bench;

import dev.taskloop.archfixture.benchmarks.core.Api;
import java.util.List;

/** ArchitectureTest fixture: a benchmark on the core and the JDK (allowed). */
public final class Allowed {
    List<Api> apis = List.of(new Api());
}
