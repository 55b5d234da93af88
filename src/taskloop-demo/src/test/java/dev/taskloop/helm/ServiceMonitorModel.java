package dev.taskloop.helm;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rendered Prometheus Operator {@code monitoring.coreos.com/v1 ServiceMonitor}, and its strict
 * check. The Kubernetes models do not have this custom resource, so its fields are written down here
 * from the CustomResourceDefinition's {@code openAPIV3Schema} (prometheus-operator 0.84): every field
 * of {@code spec} and of an endpoint, with the types the CRD gives them; scrape durations follow its
 * Prometheus-duration pattern; {@code spec.selector} is required. Nested objects the chart never
 * renders (TLS, authorization, relabelings) are checked for their type only. A field the CRD does not
 * define fails, as the API server's strict field validation would.
 */
final class ServiceMonitorModel {

    static final String API_VERSION = "monitoring.coreos.com/v1";
    static final String KIND = "ServiceMonitor";

    private static final Pattern DURATION = Pattern.compile(
            "0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?");

    private enum Type { STRING, DURATION, BOOLEAN, INTEGER, INT_OR_STRING, OBJECT, LIST, STRING_LIST, STRING_MAP, LABEL_SELECTOR, NAMESPACE_SELECTOR, ENDPOINTS }

    private static final Map<String, Type> TOP = Map.of("apiVersion", Type.STRING, "kind", Type.STRING, "metadata", Type.OBJECT, "spec", Type.OBJECT);

    private static final Map<String, Type> SPEC = Map.ofEntries(
            Map.entry("attachMetadata", Type.OBJECT), Map.entry("bodySizeLimit", Type.STRING),
            Map.entry("convertClassicHistogramsToNHCB", Type.BOOLEAN), Map.entry("endpoints", Type.ENDPOINTS),
            Map.entry("fallbackScrapeProtocol", Type.STRING), Map.entry("jobLabel", Type.STRING),
            Map.entry("keepDroppedTargets", Type.INTEGER), Map.entry("labelLimit", Type.INTEGER),
            Map.entry("labelNameLengthLimit", Type.INTEGER), Map.entry("labelValueLengthLimit", Type.INTEGER),
            Map.entry("namespaceSelector", Type.NAMESPACE_SELECTOR), Map.entry("nativeHistogramBucketLimit", Type.INTEGER),
            Map.entry("nativeHistogramMinBucketFactor", Type.INT_OR_STRING), Map.entry("podTargetLabels", Type.STRING_LIST),
            Map.entry("sampleLimit", Type.INTEGER), Map.entry("scrapeClass", Type.STRING),
            Map.entry("scrapeClassicHistograms", Type.BOOLEAN), Map.entry("scrapeProtocols", Type.STRING_LIST),
            Map.entry("selector", Type.LABEL_SELECTOR), Map.entry("selectorMechanism", Type.STRING),
            Map.entry("serviceDiscoveryRole", Type.STRING), Map.entry("targetLabels", Type.STRING_LIST),
            Map.entry("targetLimit", Type.INTEGER));

    private static final Map<String, Type> ENDPOINT = Map.ofEntries(
            Map.entry("authorization", Type.OBJECT), Map.entry("basicAuth", Type.OBJECT),
            Map.entry("bearerTokenFile", Type.STRING), Map.entry("bearerTokenSecret", Type.OBJECT),
            Map.entry("enableHttp2", Type.BOOLEAN), Map.entry("filterRunning", Type.BOOLEAN),
            Map.entry("followRedirects", Type.BOOLEAN), Map.entry("honorLabels", Type.BOOLEAN),
            Map.entry("honorTimestamps", Type.BOOLEAN), Map.entry("interval", Type.DURATION),
            Map.entry("metricRelabelings", Type.LIST), Map.entry("noProxy", Type.STRING),
            Map.entry("oauth2", Type.OBJECT), Map.entry("params", Type.OBJECT), Map.entry("path", Type.STRING),
            Map.entry("port", Type.STRING), Map.entry("proxyConnectHeader", Type.OBJECT),
            Map.entry("proxyFromEnvironment", Type.BOOLEAN), Map.entry("proxyUrl", Type.STRING),
            Map.entry("relabelings", Type.LIST), Map.entry("scheme", Type.STRING),
            Map.entry("scrapeTimeout", Type.DURATION), Map.entry("targetPort", Type.INT_OR_STRING),
            Map.entry("tlsConfig", Type.OBJECT), Map.entry("trackTimestampsStaleness", Type.BOOLEAN));

    private static final Map<String, Type> NAMESPACE_SELECTOR = Map.of("any", Type.BOOLEAN, "matchNames", Type.STRING_LIST);

    private static final Set<String> SCHEMES = Set.of("http", "https", "HTTP", "HTTPS");

    private final Map<String, Object> object;

    ServiceMonitorModel(Map<String, Object> object) {
        this.object = object;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> spec() {
        return (Map<String, Object>) object.get("spec");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> endpoints() {
        return (List<Map<String, Object>>) spec().get("endpoints");
    }

    @SuppressWarnings("unchecked")
    Map<String, String> labels() {
        return (Map<String, String>) ((Map<String, Object>) object.get("metadata")).get("labels");
    }

    /** Throws {@link AssertionError} naming the field when {@code object} is not a valid ServiceMonitor. */
    static void validate(String what, Map<String, Object> object) {
        fields(what, "", object, TOP);
        if (!(object.get("spec") instanceof Map<?, ?> spec)) {
            throw new AssertionError(what + ": the required field `spec` is missing");
        }
        fields(what, "spec.", spec, SPEC);
        if (spec.get("selector") == null) {
            throw new AssertionError(what + ": the required field `spec.selector` is missing");
        }
    }

    private static void fields(String what, String path, Map<?, ?> object, Map<String, Type> known) {
        object.forEach((k, v) -> {
            String field = path + k;
            Type type = known.get(String.valueOf(k));
            if (type == null) {
                throw new AssertionError(what + ": the field `" + field + "` is not defined in the " + KIND + " CRD (" + API_VERSION
                        + "); known here: " + known.keySet().stream().sorted().toList());
            }
            check(what, field, v, type);
        });
    }

    private static void check(String what, String field, Object v, Type type) {
        boolean ok = switch (type) {
            case STRING -> v instanceof String;
            case DURATION -> v instanceof String s && DURATION.matcher(s).matches();
            case BOOLEAN -> v instanceof Boolean;
            case INTEGER -> v instanceof Integer || v instanceof Long;
            case INT_OR_STRING -> v instanceof Integer || v instanceof Long || v instanceof String;
            case OBJECT -> v instanceof Map;
            case LIST -> v instanceof List<?> l && l.stream().allMatch(Map.class::isInstance);
            case STRING_LIST -> v instanceof List<?> l && l.stream().allMatch(String.class::isInstance);
            case STRING_MAP -> v instanceof Map<?, ?> m && m.values().stream().allMatch(String.class::isInstance);
            case LABEL_SELECTOR -> {
                KubernetesModels.validateLabelSelector(what + " " + field, v);
                yield true;
            }
            case NAMESPACE_SELECTOR -> {
                if (v instanceof Map<?, ?> m) {
                    fields(what, field + ".", m, NAMESPACE_SELECTOR);
                    yield true;
                }
                yield false;
            }
            case ENDPOINTS -> {
                if (v instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        if (!(list.get(i) instanceof Map<?, ?> endpoint)) {
                            throw new AssertionError(what + ": " + field + "[" + i + "] must be an object: " + list.get(i));
                        }
                        fields(what, field + "[" + i + "].", endpoint, ENDPOINT);
                        if (endpoint.get("scheme") instanceof String scheme && !SCHEMES.contains(scheme)) {
                            throw new AssertionError(what + ": " + field + "[" + i + "].scheme must be one of " + SCHEMES + ": " + scheme);
                        }
                    }
                    yield true;
                }
                yield false;
            }
        };
        if (!ok) {
            throw new AssertionError(what + ": `" + field + "` must be " + type.name().toLowerCase().replace('_', ' ')
                    + (type == Type.DURATION ? " (a Prometheus duration such as 30s or 1m30s)" : "") + ", not " + v);
        }
    }
}
