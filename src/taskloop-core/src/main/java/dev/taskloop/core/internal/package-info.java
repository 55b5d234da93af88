/**
 * The scheduler behind the public API: the baton and its hand-off, timers, the accounting, slow-step
 * detection, tasks, scopes and groups. Public types here are public for the other core packages
 * only: nothing outside {@code dev.taskloop.core..} may use them (an architecture rule enforces it),
 * and they change without notice.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.taskloop.core.internal;

import org.jspecify.annotations.NullMarked;
