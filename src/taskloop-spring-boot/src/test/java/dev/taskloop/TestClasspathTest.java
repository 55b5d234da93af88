package dev.taskloop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.util.ClassUtils;

/**
 * Spring Security is a test dependency for {@code EndpointSecurityTest} only: every other test runs
 * without it, as an application that does not add it would (pom: classpathDependencyExcludes).
 */
class TestClasspathTest {

    @Test
    void springSecurityIsNotOnTheClasspathOfTheOrdinaryTests() {
        assertThat(ClassUtils.isPresent("org.springframework.security.core.Authentication", getClass().getClassLoader())).isFalse();
        assertThat(ClassUtils.isPresent("org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration", getClass().getClassLoader()))
                .isFalse();
    }
}
