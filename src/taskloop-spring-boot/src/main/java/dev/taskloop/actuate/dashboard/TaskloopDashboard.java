package dev.taskloop.actuate.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.web.HttpRequestHandler;

/**
 * Serves the dashboard page ({@code GET <taskloop endpoint path>/ui}): one HTML document with its
 * styles and script inline, nothing fetched from elsewhere (it works offline, and a Content Security
 * Policy that allows nothing else makes sure). In the browser it polls the {@code taskloop} endpoint's
 * JSON every second, from the same path without {@code /ui}, so it sees what the endpoint shows the
 * same user; with write access on it also shows the buttons that send the endpoint's control
 * requests. Being under the endpoint's path, the page is guarded by whatever guards the endpoint.
 *
 * <p>Thread-safety: immutable; any request thread.
 *
 * @since 0.1.0
 */
public final class TaskloopDashboard implements HttpRequestHandler {

    /** Where the page is, relative to the {@code taskloop} endpoint's path. */
    public static final String PATH = "/ui";

    private static final String RESOURCE = "dashboard.html";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String page;

    /**
     * @param writable whether the endpoint's write operations are on
     *     ({@code management.endpoint.taskloop.access=unrestricted}): then the page shows its controls
     */
    public TaskloopDashboard(boolean writable) {
        this.page = page().replace("__ACCESS__", writable ? "unrestricted" : "read-only");
    }

    private static String page() {
        try (InputStream in = TaskloopDashboard.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard page " + RESOURCE + " is missing from the jar, next to " + TaskloopDashboard.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        byte[] nonce = new byte[18];
        RANDOM.nextBytes(nonce);
        String n = Base64.getEncoder().encodeToString(nonce);
        byte[] body = page.replace("__NONCE__", n).getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + n + "'; style-src 'nonce-" + n
                + "'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setContentLength(body.length);
        if ("GET".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
