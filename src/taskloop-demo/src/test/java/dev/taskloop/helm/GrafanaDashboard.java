package dev.taskloop.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chart's Grafana dashboard ({@code helm/taskloop/dashboards/taskloop.json}): its panels and
 * the PromQL of every panel target and every query variable.
 */
public final class GrafanaDashboard {

    public static final Path FILE = HelmChart.DIRECTORY.resolve("dashboards/taskloop.json");

    /** One PromQL expression and where it is: a panel's title and refId, or a variable's name. */
    public record Query(String where, String expr) {
    }

    private final JsonNode root;

    private GrafanaDashboard(JsonNode root) {
        this.root = root;
    }

    /** Parses the dashboard; fails on invalid JSON. */
    public static GrafanaDashboard load(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static GrafanaDashboard parse(String json) {
        return new GrafanaDashboard(JsonMapper.builder().build().readTree(json));
    }

    public JsonNode root() {
        return root;
    }

    /** Every panel, those inside rows included. */
    public List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        collect(root.path("panels"), panels);
        return panels;
    }

    private static void collect(JsonNode list, List<JsonNode> into) {
        for (JsonNode panel : list) {
            into.add(panel);
            collect(panel.path("panels"), into);
        }
    }

    /** Every PromQL expression: panel targets and query variables. */
    public List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel '" + panel.path("title").asString() + "' target " + target.path("refId").asString(),
                        target.path("expr").asString()));
            }
        }
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asString())) {
                JsonNode query = variable.path("query");
                queries.add(new Query("variable '" + variable.path("name").asString() + "'",
                        query.isObject() ? query.path("query").asString() : query.asString()));
            }
        }
        return queries;
    }

    /** Every metric name any of its expressions selects. */
    public Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        queries().forEach(q -> names.addAll(PromQl.metricNames(q.expr())));
        return names;
    }

    /**
     * The expressions that name a metric absent from {@code exported}, each with the missing names;
     * empty when every name is exported.
     */
    public List<String> unknownMetrics(Set<String> exported) {
        List<String> problems = new ArrayList<>();
        for (Query q : queries()) {
            Set<String> missing = new TreeSet<>(PromQl.metricNames(q.expr()));
            missing.removeAll(exported);
            if (!missing.isEmpty()) {
                problems.add(q.where() + " names " + missing + " which the application does not export: " + q.expr());
            }
        }
        return problems;
    }

    /** The sample names of a Prometheus text exposition (e.g. {@code taskloop_loop_lag_seconds_bucket}). */
    public static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
            int end = 0;
            while (end < l.length() && l.charAt(end) != '{' && l.charAt(end) != ' ') {
                end++;
            }
            names.add(l.substring(0, end));
        });
        return names;
    }
}
