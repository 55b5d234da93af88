/**
 * The {@code taskloop} health component.
 */
@NullMarked
package dev.taskloop.actuate.health;

import org.jspecify.annotations.NullMarked;
