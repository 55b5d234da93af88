/**
 * The {@code taskloop.*} Micrometer meters.
 */
@NullMarked
package dev.taskloop.actuate.metrics;

import org.jspecify.annotations.NullMarked;
