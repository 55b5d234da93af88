package dev.taskloop.spring.support;

import dev.taskloop.spring.TaskDeclarationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link TaskDeclarationException} into Spring Boot's "APPLICATION FAILED TO START" report. */
class TaskDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<TaskDeclarationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TaskDeclarationException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}
