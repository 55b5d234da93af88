/**
 * asyncio's queues on the baton model: {@link dev.taskloop.core.queue.Queue} in FIFO, LIFO and
 * priority order, bounded or not, with {@code taskDone}/{@code join} and 3.13's {@code shutdown}.
 * Safe to share between loops and to feed from threads that are not tasks.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.taskloop.core.queue;

import org.jspecify.annotations.NullMarked;
