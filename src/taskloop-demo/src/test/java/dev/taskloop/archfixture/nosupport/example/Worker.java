package dev.taskloop.archfixture.nosupport.example;

import dev.taskloop.archfixture.nosupport.core.Api;
import dev.taskloop.archfixture.nosupport.spring.TaskContext;

/** ArchitectureTest fixture: an application on the user API (allowed). */
public final class Worker {
    Api api;
    TaskContext context;
}
