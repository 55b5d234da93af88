package dev.taskloop.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart in {@code helm/taskloop}, rendered with the helm library bundled by helm-java
 * ({@code helm template}, release {@value #RELEASE} in namespace {@value #NAMESPACE}, against
 * Kubernetes {@value #KUBE_VERSION}). Public for the integration tests, which start the application
 * with the configuration the chart renders.
 */
public final class HelmChart {

    /** The project's root: Maven's surefire and failsafe set {@code taskloop.root}; from a module directory it is two levels up. */
    public static final Path ROOT = Path.of(System.getProperty("taskloop.root", "../..")).toAbsolutePath().normalize();
    public static final Path DIRECTORY = ROOT.resolve("helm").resolve("taskloop");
    public static final String RELEASE = "orders";
    public static final String NAMESPACE = "shop";
    public static final String KUBE_VERSION = "1.33.0";

    private HelmChart() {
    }

    /** The documented values examples, {@code helm/taskloop/examples/*.yaml}. */
    public static List<Path> examples() {
        try (Stream<Path> files = Files.list(DIRECTORY.resolve("examples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders with the values files and then the {@code --set} values given. */
    public static Rendered render(Map<String, ?> set, Path... valuesFiles) {
        return new Rendered(parse(template(set, valuesFiles)));
    }

    /** Renders with default values. */
    public static Rendered render() {
        return render(Map.of());
    }

    /** The message helm fails with; an {@link AssertionError} if it renders. */
    public static String renderError(Map<String, ?> set, Path... valuesFiles) {
        String output;
        try {
            output = template(set, valuesFiles);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("helm template succeeded with " + set + " " + List.of(valuesFiles) + ", but it should have failed:\n" + output);
    }

    /** NOTES.txt as {@code helm install --dry-run=client} prints it (no cluster involved). */
    public static String notes(Path... valuesFiles) {
        InstallCommand install = new Helm(DIRECTORY).install().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                .clientOnly().dryRun();
        for (Path values : valuesFiles) {
            install = install.withValuesFile(values);
        }
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new AssertionError("helm install --dry-run printed no NOTES:\n" + output);
        }
        return output.substring(notes);
    }

    private static String template(Map<String, ?> set, Path... valuesFiles) {
        TemplateCommand template = new Helm(DIRECTORY).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path values : valuesFiles) {
            template = template.withValuesFile(values);
        }
        for (Map.Entry<String, ?> e : set.entrySet()) {
            template = template.set(e.getKey(), e.getValue());
        }
        return template.call();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(String manifest) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(manifest)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return objects;
    }
}
