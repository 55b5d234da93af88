package dev.taskloop.starter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** The packaged worker application ({@code dev.example.worker}) as a real process: {@code java -jar}, its output, signals. */
final class AppProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private AppProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("app-output").start(() -> {
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

    /** Starts the application's jar with {@code args}. */
    static AppProcess start(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("taskloop.app.jar", "target/taskloop-starter-it-0.1.0-SNAPSHOT.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the application jar " + jar + " does not exist: run the integration tests with ./mvnw verify");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return new AppProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Waits (bounded) until a line containing {@code text} has been printed; fails with the log otherwise. */
    void awaitLine(String text, Duration timeout) {
        Awaitility.await("a line containing '" + text + "'").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .failFast(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the application exited with " + process.exitValue() + " before printing '" + text + "':\n" + log());
                    }
                })
                .until(() -> output.stream().anyMatch(l -> l.contains(text)));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM (through the ProcessHandle, which keeps our end of the output open). */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** Waits for the process to end; returns its exit status, or fails. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the application did not exit within " + timeout + ":\n" + log());
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
