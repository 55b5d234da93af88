/**
 * Auto-configuration of Taskloop: the loops, the declared tasks' processing and lifecycle, leader election,
 * the loop monitor, and the {@code taskloop.*} properties. An entry point for Spring Boot, not an API:
 * nothing outside this package imports it.
 */
@NullMarked
package dev.taskloop.autoconfigure;

import org.jspecify.annotations.NullMarked;
