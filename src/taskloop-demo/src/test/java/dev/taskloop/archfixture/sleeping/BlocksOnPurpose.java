package dev.taskloop.archfixture.sleeping;

import dev.taskloop.core.testing.Blocking;
import java.time.Duration;

/** ArchitectureTest fixture: a deliberate blocker, through the one helper for it (allowed). Never run. */
final class BlocksOnPurpose {

    void keepTheBaton() throws InterruptedException {
        Blocking.sleep(Duration.ofMillis(10));
    }
}
