package dev.taskloop.helm;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/** What {@code helm template} rendered: the objects as parsed YAML, and typed through {@link KubernetesModels}. */
public final class Rendered {

    private final List<Map<String, Object>> objects;

    Rendered(List<Map<String, Object>> objects) {
        this.objects = List.copyOf(objects);
    }

    /** Every object as parsed from the YAML. */
    public List<Map<String, Object>> objects() {
        return objects;
    }

    /** Every object's {@code kind}, in order. */
    public List<String> kinds() {
        return objects.stream().map(o -> String.valueOf(o.get("kind"))).toList();
    }

    /** Validates every object strictly (see {@link KubernetesModels}) and returns the typed models. */
    public List<Object> validated() {
        return objects.stream().map(KubernetesModels::validate).toList();
    }

    /** The objects of a kind, validated and typed. */
    public <T> List<T> all(Class<T> model) {
        return validated().stream().filter(model::isInstance).map(model::cast).toList();
    }

    /** The one object of a kind; fails if there is none or more than one. */
    public <T> T one(Class<T> model) {
        List<T> all = all(model);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + model.getSimpleName() + ", rendered " + all.size() + ": " + kinds());
        }
        return all.getFirst();
    }

    public <T> Optional<T> optional(Class<T> model) {
        List<T> all = all(model);
        if (all.size() > 1) {
            throw new AssertionError("expected at most one " + model.getSimpleName() + ", rendered " + all.size());
        }
        return all.stream().findFirst();
    }

    public V1Deployment deployment() {
        return one(V1Deployment.class);
    }

    public V1PodSpec podSpec() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    /** The application container. */
    public V1Container container() {
        List<V1Container> containers = podSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError("expected one container, rendered " + containers.size());
        }
        return containers.getFirst();
    }

    /** The value of a container environment variable, or null. */
    public String env(String name) {
        return Optional.ofNullable(container().getEnv()).orElse(List.of()).stream().filter(e -> e.getName().equals(name))
                .map(V1EnvVar::getValue).findFirst().orElse(null);
    }

    public List<V1Service> services() {
        return all(V1Service.class);
    }

    /** The application.yaml of the chart's ConfigMap, as text. */
    public String applicationYamlText() {
        return all(V1ConfigMap.class).stream().filter(c -> c.getData() != null && c.getData().containsKey("application.yaml"))
                .map(c -> c.getData().get("application.yaml")).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap with application.yaml: " + kinds()));
    }

    /** The application.yaml of the chart's ConfigMap, parsed. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> applicationYaml() {
        return (Map<String, Object>) new Yaml().load(applicationYamlText());
    }

    /** A value of the application.yaml by its dotted path (nested maps), or null. */
    public Object property(String dottedPath) {
        Object node = applicationYaml();
        for (String part : dottedPath.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }
}
