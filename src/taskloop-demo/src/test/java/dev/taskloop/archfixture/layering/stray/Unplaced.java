package dev.taskloop.archfixture.layering.stray;

/** ArchitectureTest fixture: a package in no layer (forbidden: every package has its place). */
public final class Unplaced {
}
