package dev.taskloop.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's Java snippets and compiled code identical. Every {@code ```java} block of the README
 * must equal, line for line after stripping the common indentation, one region of the test sources in
 * {@code dev.example.readme} marked {@code // readme:snippet <name>} ... {@code // readme:end}. That package
 * is compiled in this module, which depends on the starter alone, so a snippet that stops compiling against
 * the published API fails the build, and a snippet edited in one place only fails this test.
 *
 * <p>A block that is deliberately not Java (a fragment) is preceded in the README by
 * {@code <!-- not compiled: reason -->} and skipped; every region must be used by some block, so no
 * compiled copy outlives its snippet.
 */
class ReadmeSnippetsTest {

    private static final Pattern FENCE_OPEN = Pattern.compile("^(\\s*)```java\\s*$");
    private static final Pattern FENCE_CLOSE = Pattern.compile("^\\s*```\\s*$");
    private static final Pattern NOT_COMPILED = Pattern.compile("^\\s*<!--\\s*not compiled:.*-->\\s*$");
    private static final Pattern REGION_OPEN = Pattern.compile("^\\s*// readme:snippet (\\S+)\\s*$");
    private static final Pattern REGION_CLOSE = Pattern.compile("^\\s*// readme:end\\s*$");

    record Block(int line, String text) {}

    private static final List<Block> blocks = new ArrayList<>();
    private static final List<Integer> notCompiled = new ArrayList<>();
    private static final Map<String, String> regions = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws IOException {
        // Surefire runs in the module's directory: the README is the reactor root's.
        Path readme = Path.of("../../README.md").toAbsolutePath().normalize();
        Path snippets = Path.of("src/test/java/dev/example/readme").toAbsolutePath();
        assertThat(readme).as("the README, from the module directory").isRegularFile();
        assertThat(snippets).as("the compiled snippets").isDirectory();

        List<String> lines = Files.readAllLines(readme);
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE_OPEN.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i;
            int end = i + 1;
            while (end < lines.size() && !FENCE_CLOSE.matcher(lines.get(end)).matches()) {
                end++;
            }
            assertThat(end).as("README line %d: a ```java block is never closed", start + 1).isLessThan(lines.size());
            if (precededByNotCompiled(lines, start)) {
                notCompiled.add(start + 1);
            } else {
                blocks.add(new Block(start + 1, dedent(lines.subList(start + 1, end))));
            }
            i = end;
        }

        List<Path> sources;
        try (Stream<Path> files = Files.list(snippets)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path source : sources) {
            List<String> src = Files.readAllLines(source);
            for (int i = 0; i < src.size(); i++) {
                Matcher open = REGION_OPEN.matcher(src.get(i));
                if (!open.matches()) {
                    continue;
                }
                int end = i + 1;
                while (end < src.size() && !REGION_CLOSE.matcher(src.get(end)).matches()) {
                    end++;
                }
                String name = open.group(1);
                assertThat(end).as("%s: region '%s' has no '// readme:end'", source.getFileName(), name)
                        .isLessThan(src.size());
                String previous = regions.put(name, dedent(src.subList(i + 1, end)));
                assertThat(previous).as("region '%s' is defined twice (again in %s)", name, source.getFileName()).isNull();
                i = end;
            }
        }
    }

    private static boolean precededByNotCompiled(List<String> lines, int fence) {
        for (int i = fence - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return NOT_COMPILED.matcher(lines.get(i)).matches();
            }
        }
        return false;
    }

    /** Strips the indentation common to the non-blank lines; a blank line becomes empty. */
    static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return text.toString();
    }

    @Test
    void everyJavaBlockOfTheReadmeIsACompiledRegion() {
        assertThat(blocks).as("```java blocks in the README").isNotEmpty();
        System.out.printf("README: %d ```java blocks compared with %d regions; %d marked not compiled (lines %s)%n",
                blocks.size(), regions.size(), notCompiled.size(), notCompiled);
        List<String> unmatched = new ArrayList<>();
        for (Block block : blocks) {
            if (!regions.containsValue(block.text())) {
                unmatched.add("README line " + block.line() + ": " + closest(block.text()));
            }
        }
        assertThat(unmatched)
                .as("README ```java blocks with no identical '// readme:snippet' region in dev.example.readme"
                        + " (edit both, or precede a fragment with <!-- not compiled: reason -->)")
                .isEmpty();
    }

    @Test
    void everyRegionIsStillInTheReadme() {
        Set<String> inReadme = new LinkedHashSet<>();
        blocks.forEach(b -> inReadme.add(b.text()));
        List<String> orphans = regions.entrySet().stream()
                .filter(e -> !inReadme.contains(e.getValue())).map(Map.Entry::getKey).toList();
        assertThat(orphans).as("regions of dev.example.readme that no README ```java block equals").isEmpty();
    }

    /** The first line where the block departs from the region it shares the most leading lines with. */
    private static String closest(String block) {
        String[] b = block.split("\n", -1);
        String best = null;
        int bestCommon = -1;
        for (Map.Entry<String, String> region : regions.entrySet()) {
            String[] r = region.getValue().split("\n", -1);
            int common = 0;
            while (common < b.length && common < r.length && b[common].equals(r[common])) {
                common++;
            }
            if (common > bestCommon) {
                bestCommon = common;
                String readmeLine = common < b.length ? b[common] : "<end>";
                String regionLine = common < r.length ? r[common] : "<end>";
                best = "closest region '" + region.getKey() + "' differs at snippet line " + (common + 1)
                        + ": README [" + readmeLine + "] vs code [" + regionLine + "]";
            }
        }
        return best == null ? "no regions at all" : best;
    }
}
