package dev.taskloop.spring.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * The fabric8 Kubernetes mock API server in CRUD mode, on 127.0.0.1 (it keeps the objects, checks each
 * update's resourceVersion and answers label-selected lists, as the API server does), with a client
 * of its own for the test's checks. One per test class.
 */
final class MockApiServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient admin;

    MockApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        admin = server.createClient();
    }

    int port() {
        return server.getPort();
    }

    /** A client straight to the server (no proxy), for the test's own reads. */
    KubernetesClient admin() {
        return admin;
    }

    /** Forgets every object. */
    void reset() {
        server.reset();
    }

    @Override
    public void close() {
        admin.close();
        server.destroy();
    }
}
