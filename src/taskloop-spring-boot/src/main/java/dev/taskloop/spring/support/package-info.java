/**
 * The integration's internals: the annotation processing, the supervision of declared tasks and groups, the
 * lifecycle that starts them and shuts them down in phases, the registry they are read from, and the loop
 * monitor behind health and the availability states. Public so that the Actuator integration and the
 * auto-configuration can use it; not an API of its own.
 */
@NullMarked
package dev.taskloop.spring.support;

import org.jspecify.annotations.NullMarked;
