/**
 * For users' tests: {@link dev.taskloop.core.testing.TestLoop}, a loop on virtual time
 * ({@link dev.taskloop.core.testing.ManualTicker}) that the test drives and waits on until it is
 * quiescent, and {@link dev.taskloop.core.testing.Blocking}, for blocking a loop on purpose. No test
 * framework is needed.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.taskloop.core.testing;

import org.jspecify.annotations.NullMarked;
