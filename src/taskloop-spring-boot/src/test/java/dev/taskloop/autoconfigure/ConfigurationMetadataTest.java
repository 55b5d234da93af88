package dev.taskloop.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What IDEs show for Taskloop's properties (the metadata the configuration processor writes, merged with
 * META-INF/additional-spring-configuration-metadata.json), held to Spring Boot's guidelines: every property
 * has a description that does not start with "The" or "A" and ends with a period, and the defaults the
 * processor cannot see are declared.
 */
class ConfigurationMetadataTest {

    /** A file of this module's own output (every jar on the class path has a META-INF/spring-configuration-metadata.json). */
    private static InputStream ours(String file) throws IOException {
        try {
            Path classes = Path.of(TaskloopProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path path = Files.isDirectory(classes) ? classes.resolve(file) : null;
            if (path == null) {
                FileSystem jar = FileSystems.newFileSystem(classes);
                path = jar.getPath(file);
            }
            assertThat(path).as("%s of taskloop-spring-boot", file).exists();
            return Files.newInputStream(path);
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> properties() throws IOException {
        try (InputStream in = ours("META-INF/spring-configuration-metadata.json")) {
            return (List<Map<String, Object>>) JsonMapper.builder().build().readValue(in, Map.class).get("properties");
        }
    }

    @Test
    void everyTaskloopPropertyHasADescriptionInSpringBootsStyle() throws IOException {
        List<Map<String, Object>> taskloop = properties().stream()
                .filter(p -> ((String) p.get("name")).startsWith("taskloop.") || ((String) p.get("name")).contains(".taskloop.")).toList();

        assertThat(taskloop).hasSizeGreaterThan(25).allSatisfy(p -> {
            String description = (String) p.get("description");
            assertThat(description).as("description of %s", p.get("name")).isNotBlank().endsWith(".")
                    .doesNotStartWith("The ").doesNotStartWith("A ").doesNotStartWith("An ");
        });
    }

    @Test
    void theLoopsPropertyShowsItsDefault() throws IOException {
        assertThat(properties()).filteredOn(p -> p.get("name").equals("taskloop.loops")).singleElement()
                .satisfies(p -> assertThat(p.get("defaultValue")).isEqualTo(List.of("main")));
    }

    @Test
    void theAutoConfigurationsHaveTheirMetadataForBootsFiltering() throws IOException {
        Properties metadata = new Properties();
        try (InputStream in = ours("META-INF/spring-autoconfigure-metadata.properties")) {
            metadata.load(in);
        }
        assertThat(metadata.stringPropertyNames()).contains("dev.taskloop.autoconfigure.TaskloopAutoConfiguration",
                "dev.taskloop.autoconfigure.actuate.TaskloopMetricsAutoConfiguration.AutoConfigureAfter");
    }
}
