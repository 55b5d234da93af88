package dev.taskloop.archfixture.nosupport.spring;

/** ArchitectureTest fixture: spring's user API, in a library that has no spring.support package. */
public final class TaskContext {
}
