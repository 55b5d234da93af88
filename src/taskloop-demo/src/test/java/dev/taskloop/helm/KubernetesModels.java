package dev.taskloop.helm;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates rendered objects strictly against the Kubernetes 1.33 API models, the way
 * {@code kubectl apply --validate=strict} would: an unknown field, a missing required field or a value
 * of the wrong shape fails, with the kind, the name and the model's own message.
 *
 * <p>The models are those of the official Java client 24 (generated from Kubernetes 1.33's OpenAPI
 * document): each model's {@code validateJsonElement} rejects fields it does not define and reports
 * required ones that are missing, recursively; deserializing then checks the types (quantities,
 * int-or-string). Only the API versions Kubernetes 1.33 serves are accepted (no {@code autoscaling/v2beta2},
 * no {@code policy/v1beta1}). On top, what the OpenAPI document cannot say: {@code metadata.name} is
 * present and a valid DNS name (a Service's a DNS label of at most 63 characters), and labels are
 * valid label keys and values.
 *
 * <p>The Prometheus Operator's {@code monitoring.coreos.com/v1 ServiceMonitor} is a custom resource,
 * absent from those models: {@link ServiceMonitorModel} checks it against the CRD's fields.
 */
final class KubernetesModels {

    /** apiVersion/kind served by Kubernetes 1.33 that the chart may render, and their models. */
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", V1ConfigMap.class),
            Map.entry("v1/Secret", V1Secret.class),
            Map.entry("v1/Service", V1Service.class),
            Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
            Map.entry("apps/v1/Deployment", V1Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", V1Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding.class));

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Set<String> DNS_LABEL_NAMED = Set.of("Service");

    private static final Gson GSON = new Gson();
    private static final JSON KUBERNETES_JSON = new JSON();

    private KubernetesModels() {
    }

    /**
     * Validates one rendered object (as parsed from YAML) and returns it as its typed model
     * ({@link ServiceMonitorModel} for a ServiceMonitor); throws {@link AssertionError} saying what is wrong.
     */
    static Object validate(Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        String kind = String.valueOf(object.get("kind"));
        Object metadata = object.get("metadata");
        String name = metadata instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : null;
        String what = kind + " '" + name + "' (" + apiVersion + ")";
        JsonElement json = GSON.toJsonTree(object);
        if (ServiceMonitorModel.API_VERSION.equals(apiVersion) && ServiceMonitorModel.KIND.equals(kind)) {
            try {
                V1ObjectMeta.validateJsonElement(json.getAsJsonObject().get("metadata"));
            } catch (Exception e) {
                throw new AssertionError(what + " is not a valid Kubernetes object: " + e.getMessage(), e);
            }
            ServiceMonitorModel.validate(what, object);
            checkMetadata(what, kind, metadata);
            return new ServiceMonitorModel(object);
        }
        Class<?> model = MODELS.get(apiVersion + "/" + kind);
        if (model == null) {
            throw new AssertionError(what + ": Kubernetes 1.33 serves no such kind in that API version (or this validator does not know it);"
                    + " known: " + MODELS.keySet().stream().sorted().toList() + " and " + ServiceMonitorModel.API_VERSION + "/" + ServiceMonitorModel.KIND);
        }
        try {
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
        } catch (InvocationTargetException e) {
            throw new AssertionError(what + " is not a valid Kubernetes 1.33 object: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        Object typed;
        try {
            typed = KUBERNETES_JSON.deserialize(json.toString(), model);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " does not read as a Kubernetes 1.33 " + kind + ": " + e.getMessage(), e);
        }
        checkMetadata(what, kind, metadata);
        return typed;
    }

    /** Validates a label selector (for models that hold one as a plain map). */
    static void validateLabelSelector(String what, Object selector) {
        try {
            V1LabelSelector.validateJsonElement(GSON.toJsonTree(selector));
        } catch (Exception e) {
            throw new AssertionError(what + ": not a valid LabelSelector: " + e.getMessage(), e);
        }
    }

    private static void checkMetadata(String what, String kind, Object metadata) {
        if (!(metadata instanceof Map<?, ?> meta) || !(meta.get("name") instanceof String name) || name.isEmpty()) {
            throw new AssertionError(what + ": metadata.name is required");
        }
        if (DNS_LABEL_NAMED.contains(kind)) {
            if (name.length() > 63 || !DNS_1035_LABEL.matcher(name).matches()) {
                throw new AssertionError(what + ": a " + kind + " name must be a DNS-1035 label (lower-case letters, digits and '-',"
                        + " starting with a letter, at most 63 characters): '" + name + "' (" + name.length() + " characters)");
            }
        } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new AssertionError(what + ": metadata.name must be a DNS-1123 subdomain: '" + name + "'");
        }
        checkLabels(what + " metadata.labels", meta.get("labels"));
        if (meta.get("annotations") instanceof Map<?, ?> annotations) {
            annotations.forEach((k, v) -> {
                if (!(v instanceof String)) {
                    throw new AssertionError(what + ": annotation " + k + " must be a string, not " + v);
                }
            });
        }
    }

    /** Label keys ([prefix/]name) and values as Kubernetes validates them. */
    static void checkLabels(String what, Object labels) {
        if (labels == null) {
            return;
        }
        if (!(labels instanceof Map<?, ?> map)) {
            throw new AssertionError(what + " must be a map: " + labels);
        }
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            String labelName = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
            String prefix = key.contains("/") ? key.substring(0, key.indexOf('/')) : null;
            if (labelName.length() > 63 || !LABEL_NAME.matcher(labelName).matches()
                    || (prefix != null && (prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()))) {
                throw new AssertionError(what + ": invalid label key '" + key + "'");
            }
            if (!(v instanceof String value) || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                throw new AssertionError(what + ": invalid value of label '" + key + "': " + v
                        + " (a string of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
            }
        });
    }

    /** Every kind this validator knows, as apiVersion/kind. */
    static List<String> knownKinds() {
        return MODELS.keySet().stream().sorted().toList();
    }
}
