/**
 * Support for testing applications that declare tasks: {@link dev.taskloop.spring.test.AutoConfigureVirtualTime}
 * runs them in virtual time in a Spring test.
 */
@NullMarked
package dev.taskloop.spring.test;

import org.jspecify.annotations.NullMarked;
