package dev.taskloop.it;

import dev.taskloop.Polling;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/** The packaged demo running as a real process: started with {@code java -jar}, talked to over HTTP, stopped with a signal. */
final class DemoProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final int port;
    private final int managementPort;
    private final Thread reader;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DemoProcess(Process process, int port, int managementPort) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.reader = Thread.ofPlatform().daemon().name("demo-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** Starts the demo jar on a free port with {@code args} added to its command line. */
    static DemoProcess start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** Starts the demo jar on a free port, with {@code jvmArgs} for the JVM and {@code args} for the application. */
    static DemoProcess start(List<String> jvmArgs, String... args) throws IOException {
        return start(jvmArgs, false, args);
    }

    /** Starts the demo jar with Actuator on a management port of its own (as the Helm chart runs it), both free and on loopback. */
    static DemoProcess startWithManagementPort(String... args) throws IOException {
        return start(List.of(), true, args);
    }

    private static DemoProcess start(List<String> jvmArgs, boolean ownManagementPort, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("taskloop.demo.jar", "target/taskloop-demo-0.1.0-SNAPSHOT.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the demo jar " + jar + " does not exist: run the integration tests with ./mvnw verify");
        }
        int port = freePort();
        int managementPort = ownManagementPort ? freePort() : port;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        if (ownManagementPort) {
            cmd.addAll(List.of("--management.server.port=" + managementPort, "--management.server.address=127.0.0.1"));
        }
        cmd.addAll(List.of(args));
        return new DemoProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start(), port, managementPort);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits (bounded) until readiness answers 200; fails at once, with the log, if the demo exits first. */
    void awaitReady(Duration timeout) {
        try {
            Polling.poll("the demo ready", timeout, Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("the demo exited with " + process.exitValue() + " before it was ready:\n" + log());
                        }
                        return management("/actuator/health/readiness").statusCode() == 200;
                    });
        } catch (ConditionTimeoutException notReady) {
            throw new AssertionError("the demo was not ready within " + timeout + ":\n" + log(), notReady);
        }
    }

    /** Waits (bounded) until a line containing {@code text} has been printed; whether it has. */
    boolean awaitLine(String text, Duration timeout) {
        try {
            Polling.poll("a line containing '" + text + "'", timeout, Duration.ofMillis(50))
                    .until(() -> output.stream().anyMatch(l -> l.contains(text)));
            return true;
        } catch (ConditionTimeoutException notPrinted) {
            return false;
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET on the port Actuator listens on: {@link #managementPort()}. */
    HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path);
    }

    /** Any method, no body. */
    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The process id, for {@code jcmd}. */
    long pid() {
        return process.pid();
    }

    /** The HTTP port it listens on (loopback). */
    int port() {
        return port;
    }

    /** The port Actuator listens on: its own with {@link #startWithManagementPort}, else {@link #port()}. */
    int managementPort() {
        return managementPort;
    }

    /**
     * Sends SIGTERM. Through the {@link ProcessHandle}: {@link Process#destroy()} sends the same
     * signal but also closes our end of the output, losing everything the shutdown logs.
     */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** Waits for the process to end; returns its exit status, or fails. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the demo did not exit within " + timeout + ":\n" + log());
        }
        reader.join(10_000); // the rest of its output
        return process.exitValue();
    }

    List<String> output() {
        return List.copyOf(output);
    }

    String log() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
