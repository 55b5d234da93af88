/**
 * Async generators: {@link dev.taskloop.core.stream.AsyncStream}, a lazily produced sequence whose
 * producer runs only when its consumer asks, and is always closed (by the consumer, when the
 * consumer's task ends, or when the loop shuts down), plus a few operators.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.taskloop.core.stream;

import org.jspecify.annotations.NullMarked;
