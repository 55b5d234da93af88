/**
 * The Spring Boot integration's API: what applications use. The annotations that declare background
 * tasks and supervised groups ({@link dev.taskloop.spring.BackgroundTask}, {@link dev.taskloop.spring.SupervisedGroup})
 * and their enums, the {@link dev.taskloop.spring.TaskContext} a task may take, the
 * {@link dev.taskloop.spring.ShutdownParticipant} hook of the orderly shutdown, the handle of a declared task
 * ({@link dev.taskloop.spring.DeclaredTask}: its state, its executions, and pausing, triggering, rescheduling or
 * restarting it; found through {@link dev.taskloop.spring.DeclaredTasks}) and its {@link dev.taskloop.spring.Schedule},
 * the cancellation origins Spring adds, and the exceptions applications see. Nothing here depends on {@code spring.support}.
 */
@NullMarked
package dev.taskloop.spring;

import org.jspecify.annotations.NullMarked;
