package dev.taskloop.archfixture.userapi.example;

import dev.taskloop.archfixture.userapi.core.Api;
import dev.taskloop.archfixture.userapi.spring.TaskContext;

/** ArchitectureTest fixture: an application on the user API (allowed). */
public final class Worker {
    Api api;
    TaskContext context;
}
