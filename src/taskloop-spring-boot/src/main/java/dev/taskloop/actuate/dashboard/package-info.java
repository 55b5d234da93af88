/**
 * The Taskloop dashboard: one page, served beside the {@code taskloop} endpoint, that shows what the
 * endpoint's JSON says (loops, declared tasks, live and ended tasks) and updates itself.
 */
@NullMarked
package dev.taskloop.actuate.dashboard;

import org.jspecify.annotations.NullMarked;
