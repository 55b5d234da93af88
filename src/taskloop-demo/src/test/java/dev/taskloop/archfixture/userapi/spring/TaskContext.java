package dev.taskloop.archfixture.userapi.spring;

/** ArchitectureTest fixture: spring's user API (allowed to applications). */
public final class TaskContext {
}
