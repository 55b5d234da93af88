/**
 * Auto-configuration of the Actuator integration: one auto-configuration each for the endpoint, the health
 * component and the meters.
 */
@NullMarked
package dev.taskloop.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
