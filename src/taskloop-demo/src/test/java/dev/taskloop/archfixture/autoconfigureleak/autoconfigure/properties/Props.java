package dev.taskloop.archfixture.autoconfigureleak.autoconfigure.properties;

/** ArchitectureTest fixture: properties inside autoconfigure. */
public final class Props {
}
