/** The auto-configuration behind {@code @AutoConfigureVirtualTime}. */
@NullMarked
package dev.taskloop.autoconfigure.test;

import org.jspecify.annotations.NullMarked;
