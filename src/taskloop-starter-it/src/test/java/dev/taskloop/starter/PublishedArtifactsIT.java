package dev.taskloop.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the published artifacts contain, read from the jars and the POMs the build installs and deploys
 * (flatten-maven-plugin's {@code target/flattened-pom.xml}): the runtime needs nothing but the JDK, and
 * nothing of the demo, nor any application configuration, travels into an application.
 */
class PublishedArtifactsIT {

    private static final Path ROOT = Path.of(System.getProperty("taskloop.root", "../..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("taskloop.version", "0.1.0-SNAPSHOT");
    private static final List<String> PUBLISHED = List.of("taskloop-core", "taskloop-spring-boot", "taskloop-spring-boot-starter");

    private static Path jar(String module) {
        Path jar = ROOT.resolve("src").resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar");
        assertThat(jar).as("the packaged jar of %s (run ./mvnw verify)", module).isRegularFile();
        return jar;
    }

    private static Document publishedPom(String module) throws Exception {
        Path pom = ROOT.resolve("src").resolve(module).resolve("target").resolve("flattened-pom.xml");
        assertThat(pom).as("the published POM of %s", module).isRegularFile();
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    /** {@code groupId:artifactId:scope[:optional]} of each dependency. */
    private static List<String> dependencies(Document pom) {
        List<String> out = new ArrayList<>();
        NodeList deps = pom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String scope = text(d, "scope");
            out.add(text(d, "groupId") + ":" + text(d, "artifactId") + ":" + (scope.isEmpty() ? "compile" : scope)
                    + ("true".equals(text(d, "optional")) ? ":optional" : ""));
        }
        return out;
    }

    private static String text(Element e, String child) {
        NodeList n = e.getElementsByTagName(child);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().strip();
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void theCoresPublishedPomHasNoDependencyAndNoParent() throws Exception {
        Document pom = publishedPom("taskloop-core");

        assertThat(dependencies(pom)).isEmpty();
        assertThat(pom.getElementsByTagName("dependencies").getLength()).isZero();
        assertThat(pom.getElementsByTagName("parent").getLength()).as("parent").isZero();
    }

    @Test
    void theCoreJarHoldsOnlyTheCorePackages() throws IOException {
        assertThat(entries(jar("taskloop-core")))
                .filteredOn(e -> !e.endsWith("/") && !e.startsWith("META-INF/"))
                .isNotEmpty()
                .allMatch(e -> e.startsWith("dev/taskloop/core/"), "under dev/taskloop/core/");
    }

    @Test
    void theSpringModuleNeedsOnlyTheCoreSpringBootAutoconfigureAndJSpecifyAndTheRestIsOptional() throws Exception {
        List<String> deps = dependencies(publishedPom("taskloop-spring-boot"));

        // JSpecify: the nullness annotations of its API, which Spring Framework 7 brings anyway.
        assertThat(deps).filteredOn(d -> !d.endsWith(":optional")).containsExactlyInAnyOrder(
                "dev.taskloop:taskloop-core:compile", "org.springframework.boot:spring-boot-autoconfigure:compile",
                "org.jspecify:jspecify:compile");
        assertThat(deps).noneMatch(d -> d.contains(":test") || d.contains("spring-boot-starter-web") || d.contains("prometheus"));
    }

    @Test
    void theStarterIsAJarWithoutCodeThatBringsSpringBootsStarterAndTheSpringModule() throws Exception {
        assertThat(dependencies(publishedPom("taskloop-spring-boot-starter"))).containsExactlyInAnyOrder(
                "org.springframework.boot:spring-boot-starter:compile", "dev.taskloop:taskloop-spring-boot:compile");
        assertThat(entries(jar("taskloop-spring-boot-starter"))).noneMatch(e -> e.endsWith(".class"));
    }

    @Test
    void noPublishedJarCarriesTheDemoOrAnApplicationsConfiguration() throws IOException {
        for (String module : PUBLISHED) {
            List<String> entries = entries(jar(module));
            assertThat(entries).as(module).noneMatch(e -> e.startsWith("dev/taskloop/demo/"));
            assertThat(entries).as(module).noneMatch(e -> {
                String file = e.substring(e.lastIndexOf('/') + 1);
                return file.matches("application(-[^.]+)?\\.(properties|ya?ml)");
            });
        }
    }

    @Test
    void theSpringModuleRegistersItsAutoConfigurations() throws IOException {
        assertThat(entries(jar("taskloop-spring-boot")))
                .contains("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports",
                        "META-INF/spring-configuration-metadata.json");
        assertThat(Files.size(jar("taskloop-spring-boot"))).isPositive();
    }
}
