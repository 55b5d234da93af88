/**
 * What the Actuator integration shares: the recent events remembered of the loops, why a task ended, and
 * how figures are shown.
 */
@NullMarked
package dev.taskloop.actuate;

import org.jspecify.annotations.NullMarked;
