/**
 * What integrations (metrics, health, the Actuator endpoint) see of the core: a {@link
 * dev.taskloop.core.spi.LoopListener} told about rare events (a task ended, a step was slow, a
 * loop is stuck, a failure went unobserved) and immutable snapshots polled on demand
 * ({@link dev.taskloop.core.spi.LoopSnapshot}, {@link dev.taskloop.core.spi.TaskSnapshot}).
 * Frequent events (every step) are only counted, never sent, so that measuring stays cheap.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.taskloop.core.spi;

import org.jspecify.annotations.NullMarked;
