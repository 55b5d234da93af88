package dev.taskloop.core.testing;

import dev.taskloop.core.EventLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that owns the {@link TestLoop}s of a test: every loop {@link #create} builds
 * is closed after the test, passed or failed, in reverse order of creation. It replaces the
 * {@code TestLoop.create()} field and its {@code @AfterEach close()} that every test class wrote.
 *
 * <pre>{@code
 * class QueueTest {
 *     @RegisterExtension
 *     final TestLoopExtension loops = new TestLoopExtension();   // declared before the loops it creates
 *     private final TestLoop test = loops.create();
 * }
 * }</pre>
 *
 * <p>Registered on an instance field, it belongs to one test instance, so with JUnit's default
 * per-method lifecycle each test gets loops of its own. If closing a loop throws, the test fails,
 * and the other loops are closed all the same. Test sources only: the core has no JUnit dependency.
 */
public final class TestLoopExtension implements AfterEachCallback {

    private final List<TestLoop> loops = new ArrayList<>();

    /** {@link TestLoop#create()}, closed after the test. */
    public TestLoop create() {
        return own(TestLoop.create());
    }

    /** {@link TestLoop#create(EventLoop.Builder)}, closed after the test. */
    public TestLoop create(EventLoop.Builder builder) {
        return own(TestLoop.create(builder));
    }

    private TestLoop own(TestLoop loop) {
        loops.add(loop);
        return loop;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RuntimeException failure = null;
        for (int i = loops.size() - 1; i >= 0; i--) {
            try {
                loops.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        loops.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
