package dev.taskloop.spring.support;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import sun.misc.Signal;

/**
 * Makes {@code SIGTERM} end the process with exit status 0 once the orderly shutdown has run.
 *
 * <p>The JVM answers SIGTERM by running its shutdown hooks (Spring's among them: the context
 * closes, the loops cancel their tasks and wait for their cleanup) and then exits with 143
 * (128 + 15), which Kubernetes Jobs, systemd units and CI runners read as a failure although the
 * stop was requested and went as planned. This handler replaces the JVM's TERM handler with one
 * that calls {@code System.exit(0)}: the same hooks run in the same order, only the status
 * differs. It uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), the only JDK API for
 * signals. Opt-in, with {@code taskloop.shutdown.exit-zero-on-sigterm=true}: a library must not
 * decide how an application's process ends.
 *
 * @since 0.1.0
 */
public final class SigtermExit implements ApplicationListener<ApplicationReadyEvent> {

    private static final Log log = LogFactory.getLog(SigtermExit.class);
    private static volatile boolean installed;

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        install();
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Signal.handle(new Signal("TERM"), signal -> {
                log.info("SIGTERM received: shutting down in order, then exiting with status 0");
                System.exit(0);
            });
            installed = true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.debug("Cannot handle SIGTERM on this platform; the JVM's default applies", e);
        }
    }
}
