package dev.taskloop.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * {@code helm template} for the default values and for every documented example
 * ({@code helm/taskloop/examples}), against Kubernetes 1.33, and every rendered object validated
 * strictly against the Kubernetes 1.33 models; and proof that the validation fails where it should.
 */
class RenderedObjectsTest {

    static Stream<Arguments> valueSets() {
        List<Arguments> sets = new ArrayList<>();
        sets.add(Arguments.of("default values", null));
        for (Path example : HelmChart.examples()) {
            sets.add(Arguments.of(example.getFileName().toString(), example));
        }
        return sets.stream();
    }

    static Rendered render(Path values) {
        return values == null ? HelmChart.render() : HelmChart.render(Map.of(), values);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyRenderedObjectIsAValidKubernetes133Object(String name, Path values) {
        Rendered rendered = render(values);

        assertThat(rendered.validated()).as("objects rendered for %s", name).hasSameSizeAs(rendered.objects());
        assertThat(rendered.kinds()).contains("Deployment", "Service", "ConfigMap");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void theNotesRenderAndStateTheGracePeriodAndWhereActuatorIs(String name, Path values) {
        String notes = values == null ? HelmChart.notes() : HelmChart.notes(values);
        String grace = String.valueOf(render(values).podSpec().getTerminationGracePeriodSeconds());

        assertThat(notes).contains("terminationGracePeriodSeconds " + grace + " s").contains("Actuator is on the management port 8081")
                .contains("/actuator/health/readiness");
    }

    @Test
    void thereAreDocumentedExamplesToRender() {
        assertThat(HelmChart.examples()).extracting(p -> p.getFileName().toString())
                .contains("production.yaml", "long-shutdown.yaml", "minimal.yaml", "operator-cancel.yaml");
    }

    @Test
    void theDefaultValuesRenderTheDeploymentItsServiceConfigMapServiceAccountAndDisruptionBudget() {
        assertThat(HelmChart.render().kinds())
                .containsExactlyInAnyOrder("Deployment", "Service", "ConfigMap", "ServiceAccount", "PodDisruptionBudget");
    }

    @Test
    void theProductionExampleRendersEveryOptionalObject() {
        Rendered production = HelmChart.render(Map.of(), HelmChart.DIRECTORY.resolve("examples/production.yaml"));

        assertThat(production.kinds()).containsExactlyInAnyOrder("Deployment", "Service", "Service", "ConfigMap", "ConfigMap",
                "ServiceAccount", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceMonitor", "NetworkPolicy", "Ingress");
        assertThat(production.validated()).hasSize(11);
    }

    // The validation itself must be able to fail.

    @Test
    void anUnknownFieldDeepInsideTheDeploymentFailsNamingTheFieldAndTheModel() {
        Map<String, Object> deployment = deploymentMap();
        container(deployment).put("livenesProbe", container(deployment).remove("livenessProbe"));

        assertThatThrownBy(() -> KubernetesModels.validate(deployment)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Deployment 'orders-taskloop' (apps/v1) is not a valid Kubernetes 1.33 object")
                .hasMessageContaining("The field `livenesProbe` in the JSON string is not defined in the `V1Container` properties");
    }

    @Test
    void aMissingRequiredFieldFailsNamingTheField() {
        Map<String, Object> deployment = deploymentMap();
        container(deployment).remove("name");

        assertThatThrownBy(() -> KubernetesModels.validate(deployment)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("The required field `name` is not found");
    }

    @Test
    void aValueOfTheWrongShapeFails() {
        Map<String, Object> deployment = deploymentMap();
        @SuppressWarnings("unchecked")
        Map<String, Object> resources = (Map<String, Object>) container(deployment).get("resources");
        resources.put("limits", Map.of("memory", "lots"));

        assertThatThrownBy(() -> KubernetesModels.validate(deployment)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not read as a Kubernetes 1.33 Deployment");
    }

    @Test
    void anApiVersionThatKubernetes133NoLongerServesFails() {
        Map<String, Object> hpa = new LinkedHashMap<>(Map.of("apiVersion", "autoscaling/v2beta2", "kind", "HorizontalPodAutoscaler",
                "metadata", Map.of("name", "orders-taskloop"), "spec", Map.of()));

        assertThatThrownBy(() -> KubernetesModels.validate(hpa)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("HorizontalPodAutoscaler 'orders-taskloop' (autoscaling/v2beta2): Kubernetes 1.33 serves no such kind");
    }

    @Test
    void aServiceNameThatIsNoDnsLabelFails() {
        Map<String, Object> service = new LinkedHashMap<>(HelmChart.render().objects().stream()
                .filter(o -> "Service".equals(o.get("kind"))).findFirst().orElseThrow());
        String longName = "a-release-name-that-is-far-too-long-for-a-service-in-kubernetes-x";
        service.put("metadata", Map.of("name", longName));

        assertThatThrownBy(() -> KubernetesModels.validate(service)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a Service name must be a DNS-1035 label").hasMessageContaining("(65 characters)");
    }

    @Test
    void anInvalidLabelValueFails() {
        Map<String, Object> configMap = new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "x", "labels", Map.of("app.kubernetes.io/version", "1.0+build/7"))));

        assertThatThrownBy(() -> KubernetesModels.validate(configMap)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("invalid value of label 'app.kubernetes.io/version': 1.0+build/7");
    }

    @Test
    void aServiceMonitorWithAnUnknownEndpointFieldOrNoSelectorFails() {
        Map<String, Object> monitor = serviceMonitorMap();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.get("spec");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
        endpoints.getFirst().put("scrapeInterval", "30s");

        assertThatThrownBy(() -> KubernetesModels.validate(monitor)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the field `spec.endpoints[0].scrapeInterval` is not defined in the ServiceMonitor CRD");

        endpoints.getFirst().remove("scrapeInterval");
        spec.remove("selector");
        assertThatThrownBy(() -> KubernetesModels.validate(monitor)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the required field `spec.selector` is missing");
    }

    @Test
    void aServiceMonitorIntervalThatIsNoPrometheusDurationFails() {
        Map<String, Object> monitor = serviceMonitorMap();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) ((Map<String, Object>) monitor.get("spec")).get("endpoints");
        endpoints.getFirst().put("interval", "30 seconds");

        assertThatThrownBy(() -> KubernetesModels.validate(monitor)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("`spec.endpoints[0].interval` must be duration");
    }

    private static Map<String, Object> deploymentMap() {
        return deepCopy(HelmChart.render().objects().stream().filter(o -> "Deployment".equals(o.get("kind"))).findFirst().orElseThrow());
    }

    private static Map<String, Object> serviceMonitorMap() {
        return deepCopy(HelmChart.render(Map.of("metrics.serviceMonitor.enabled", true)).objects().stream()
                .filter(o -> "ServiceMonitor".equals(o.get("kind"))).findFirst().orElseThrow());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> deployment) {
        Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
        Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
        return ((List<Map<String, Object>>) podSpec.get("containers")).getFirst();
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }
}
