package dev.taskloop.archfixture.userapi.actuate;

/** ArchitectureTest fixture: the Actuator integration. */
public final class Endpoint {
}
