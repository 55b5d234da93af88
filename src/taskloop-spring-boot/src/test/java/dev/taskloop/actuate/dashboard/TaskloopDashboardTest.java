package dev.taskloop.actuate.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard page as the jar ships it: small, and self-contained (nothing it loads comes from
 * elsewhere; in the browser, its Content Security Policy and {@code DashboardIT} check the same).
 */
class TaskloopDashboardTest {

    private static String page() throws IOException {
        try (InputStream in = TaskloopDashboard.class.getResourceAsStream("dashboard.html")) {
            assertThat(in).as("dashboard.html next to TaskloopDashboard").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void thePageIsOneSmallDocument() throws IOException {
        byte[] bytes = page().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).as("bytes").isLessThan(64 * 1024);
        System.out.printf("dashboard page: %d bytes%n", bytes.length);
    }

    @Test
    void itReferencesNothingOutsideItselfAndItsEndpoint() throws IOException {
        String page = page();
        Matcher refs = Pattern.compile("(?:src|href|action)\\s*=\\s*\"([^\"]*)\"").matcher(page);
        while (refs.find()) {
            assertThat(refs.group(1)).as("a reference").isIn("#declared-heading", "data:,");
        }
        assertThat(Pattern.compile("https?://").matcher(page).results().map(r -> page.substring(r.start(), r.start() + 30)).toList())
                .as("only the SVG namespace, which is a name and never fetched").allMatch(u -> u.startsWith("http://www.w3.org/2000/svg"));
        assertThat(page).doesNotContain("@import", "url(");
        List<String> tags = Pattern.compile("<(script|style)[^>]*>").matcher(page).results().map(r -> r.group()).toList();
        assertThat(tags).hasSize(2).allMatch(t -> t.contains("nonce=\"__NONCE__\""));
    }
}
