package dev.taskloop.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One line per event ({@code produced 42}), for the demo's shutdown test; nothing when no file is given. */
final class Ledger {
    private final BufferedWriter out;
    private boolean closed;

    Ledger(String file) {
        try {
            out = file == null || file.isBlank() ? null : Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the demo ledger " + file, e);
        }
    }

    synchronized void write(String event, long id) {
        if (out == null || closed) {
            return;
        }
        try {
            out.write(event + " " + id + "\n");
            out.flush(); // read while the demo runs
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void close() {
        if (out == null || closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
