package dev.taskloop.archfixture.layering.core;

/** ArchitectureTest fixture: the bottom layer. */
public class Base {
}
