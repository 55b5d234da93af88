/**
 * Taskloop's runtime API: asyncio's model on virtual threads. An {@link dev.taskloop.core.EventLoop}
 * (or several, in an {@link dev.taskloop.core.EventLoopGroup}) runs {@link dev.taskloop.core.Task}s
 * one at a time, handing its baton over at await points ({@link dev.taskloop.core.Async});
 * {@link dev.taskloop.core.TaskGroup}s give structured concurrency, and
 * {@link dev.taskloop.core.CancelScope}s and {@link dev.taskloop.core.Timeout}s level-triggered
 * cancellation. JDK only.
 *
 * <p>Nullness: every package of the core is {@code @NullMarked} (JSpecify): a type is non-null
 * unless it is annotated {@code @Nullable}, and a type parameter declared
 * {@code extends @Nullable Object} (a task's result, a stream's elements) admits {@code null}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.taskloop.core;

import org.jspecify.annotations.NullMarked;
