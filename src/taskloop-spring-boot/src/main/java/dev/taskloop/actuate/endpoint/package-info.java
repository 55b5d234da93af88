/**
 * The {@code taskloop} Actuator endpoint: loops and tasks, one task with its stack, and cancelling a task.
 */
@NullMarked
package dev.taskloop.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
