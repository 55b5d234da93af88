package dev.taskloop.core.internal;

import dev.taskloop.core.spi.LoopListener;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * What a loop does when integration code it calls throws: listener methods, lag observers (and the
 * listeners' {@code lagObserver()} factories), {@code callSoon}/{@code callLater} callbacks, done
 * callbacks, completion listeners and close hooks. Whatever is thrown ({@code RuntimeException} or
 * {@code Error}) stays here: the loop's bookkeeping carries on from the very point it called out, so
 * the baton, the ready queue and the task registry stay consistent and the caller (a {@code spawn},
 * a hand-off) never sees the integration's failure.
 *
 * <p>Reported in the log once per failing site per {@link #INTERVAL} of the loop's clock (a site is
 * one listener's method, one observer, one callback class, one close hook); the failures in between
 * are counted and the count is given with the next report. A {@link VirtualMachineError} (out of
 * memory, stack overflow...) is the JVM's, not the integration's: it is reported at {@code ERROR},
 * the listeners hear of it ({@link LoopListener#fatalError}) and the loop is closed in order from a
 * thread of its own (its tasks cancelled, their {@code finally} blocks run). The JVM's own policy,
 * such as {@code -XX:+ExitOnOutOfMemoryError}, has already acted where the error was raised.
 *
 * <p>Thread-safety: any thread; nothing here blocks or calls back into the loop's lock.
 */
final class Containment {

    /** At most one report per failing site per this much loop time. */
    static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final long INTERVAL_NANOS = INTERVAL.toNanos();

    private final Loop loop;
    private final ConcurrentHashMap<Object, Site> sites = new ConcurrentHashMap<>();
    private final AtomicBoolean fatal = new AtomicBoolean();

    /** One failing site's limiter: the loop time of its last report, and the failures since. */
    private static final class Site {
        boolean reported;
        long lastReport;
        int suppressed;
    }

    Containment(Loop loop) {
        this.loop = loop;
    }

    /**
     * Integration code at a site threw {@code e}: report it (rate-limited) and, for a
     * {@link VirtualMachineError}, end the loop. Never throws.
     *
     * @param key identifies the site for the limiter (e.g. the listener and its method)
     * @param site how the report names it
     */
    void failed(Object key, String site, Throwable e) {
        try {
            boolean vme = e instanceof VirtualMachineError;
            if (vme) {
                fatal(site, (VirtualMachineError) e);
            }
            Site s = sites.computeIfAbsent(key, k -> new Site());
            long now = loop.ticker.read();
            int suppressed;
            synchronized (s) {
                if (s.reported && now - s.lastReport < INTERVAL_NANOS) {
                    s.suppressed++;
                    return;
                }
                suppressed = s.suppressed;
                s.suppressed = 0;
                s.reported = true;
                s.lastReport = now;
            }
            String msg = "event loop '" + loop.name + "': " + site + " threw " + e
                    + (vme ? "; a VirtualMachineError is the JVM's, not a failure to carry on from: the loop is being closed"
                            : "; contained, the loop carries on")
                    + (suppressed > 0 ? " (" + suppressed + " more failure(s) of it since its last report)" : "")
                    + "; further failures of it within " + INTERVAL.toSeconds() + " s are counted, not logged";
            Loop.LOG.log(vme ? System.Logger.Level.ERROR : System.Logger.Level.WARNING, msg, e);
        } catch (Throwable ignored) {
            // Out of memory while reporting: the JVM's policy acts; the loop's bookkeeping must go on.
        }
    }

    /** A task of this loop ended with a {@link VirtualMachineError}: reported, and the listeners told. Never throws. */
    void taskFatal(String task, VirtualMachineError e) {
        try {
            Loop.LOG.log(System.Logger.Level.ERROR, "event loop '" + loop.name + "': " + task + " failed with " + e
                    + "; a VirtualMachineError is the JVM's, not the task's: do not restart it, let the JVM's policy act"
                    + " (-XX:+ExitOnOutOfMemoryError)", e);
            loop.notifyListeners("fatalError", l -> l.fatalError(loop.name, task, e));
        } catch (Throwable ignored) {
            // as above
        }
    }

    /** Ends the loop in order, once, from a thread of its own (the caller may be its baton holder). */
    private void fatal(String site, VirtualMachineError e) {
        if (!fatal.compareAndSet(false, true)) {
            return;
        }
        try {
            Thread.ofPlatform().daemon().name("taskloop-fatal-" + loop.name).start(() -> {
                loop.notifyListeners("fatalError", l -> l.fatalError(loop.name, site, e));
                loop.close();
            });
        } catch (Throwable ignored) {
            // No thread to be had: the JVM's policy acts; nothing more the loop can do.
        }
    }

    /** The listener's lag observer, or {@code null} if it has none or its factory threw. */
    java.util.function.@Nullable LongConsumer lagObserverOf(LoopListener l) {
        try {
            return l.lagObserver();
        } catch (Throwable e) {
            failed(new Key(l, "lagObserver"), "listener " + l + " (lagObserver())", e);
            return null;
        }
    }

    /** A site key: an integration object and what was called on it. */
    record Key(Object who, String what) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.who == who && k.what.equals(what); // identity: listeners may define equals badly
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(who) * 31 + what.hashCode();
        }
    }
}
