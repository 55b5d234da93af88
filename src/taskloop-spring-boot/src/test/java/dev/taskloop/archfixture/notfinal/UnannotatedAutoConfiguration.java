package dev.taskloop.archfixture.notfinal;

/** Breaks "auto-configurations are annotated @AutoConfiguration": named as one, but plain. */
public final class UnannotatedAutoConfiguration {
}
