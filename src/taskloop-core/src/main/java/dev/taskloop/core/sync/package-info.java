/**
 * asyncio's synchronization primitives on the baton model: {@link dev.taskloop.core.sync.Lock},
 * {@link dev.taskloop.core.sync.Event}, {@link dev.taskloop.core.sync.Condition},
 * {@link dev.taskloop.core.sync.Semaphore}, {@link dev.taskloop.core.sync.BoundedSemaphore} and
 * {@link dev.taskloop.core.sync.Barrier}.
 *
 * <p>Common rules: every wait is an await point (it checks for cancellation first, releases the
 * baton, and shows in the task's snapshot as asleep on {@code lock}, {@code event},
 * {@code condition}, {@code semaphore} or {@code barrier} with the primitive's name, and the holder
 * where there is one). Waiters are served in FIFO order by direct hand-off, and a cancelled waiter
 * never consumes what it waited for. Every primitive is safe to share between tasks of different
 * loops: its state sits behind a small internal lock that is never held across an await.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.taskloop.core.sync;

import org.jspecify.annotations.NullMarked;
