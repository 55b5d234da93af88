package dev.taskloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policies the chart promises, asserted on the rendered (and strictly validated) objects for the
 * default values and every documented example: probe paths and ports, the pod's security, the
 * grace-period arithmetic, the autoscaler owning the replica count, the ServiceMonitor only when
 * enabled, the taskloop endpoint's write side never reachable through a Service, JVM sizing, and the
 * mounted configuration.
 */
class ChartPoliciesTest {

    private static final Path EXAMPLES = HelmChart.DIRECTORY.resolve("examples");

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> valueSets() {
        return RenderedObjectsTest.valueSets();
    }

    // Probes

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void startupAndLivenessProbeTheLivenessGroupAndReadinessTheReadinessGroupOnTheManagementPort(String name, Path values) {
        Rendered rendered = RenderedObjectsTest.render(values);
        V1Container app = rendered.container();

        assertHttpProbe(app.getStartupProbe(), "/actuator/health/liveness");
        assertHttpProbe(app.getLivenessProbe(), "/actuator/health/liveness");
        assertHttpProbe(app.getReadinessProbe(), "/actuator/health/readiness");
        assertThat(app.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("management");
            assertThat(p.getContainerPort()).isEqualTo(rendered.property("management.server.port"));
        });
        assertThat(rendered.property("management.endpoint.health.probes.enabled")).isEqualTo(true);
        assertThat(String.valueOf(rendered.property("management.endpoints.web.exposure.include"))).contains("health", "prometheus");
        assertThat(rendered.property("management.server.port")).isNotEqualTo(rendered.property("server.port"));
    }

    @Test
    void theStartupProbeGivesTheApplicationThreeMinutesAndLivenessRestartsALoopStuckForAboutThirtySeconds() {
        V1Container app = HelmChart.render().container();

        assertThat(app.getStartupProbe().getPeriodSeconds() * app.getStartupProbe().getFailureThreshold()).isEqualTo(180);
        assertThat(app.getLivenessProbe().getPeriodSeconds() * app.getLivenessProbe().getFailureThreshold()).isEqualTo(30);
    }

    private static void assertHttpProbe(V1Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("management"));
        assertThat(probe.getExec()).isNull();
        assertThat(probe.getTcpSocket()).isNull();
    }

    // What the Services reach

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void theApplicationServiceAndTheIngressReachOnlyTheHttpPort(String name, Path values) {
        Rendered rendered = RenderedObjectsTest.render(values);
        String fullname = rendered.deployment().getMetadata().getName();

        V1Service app = rendered.services().stream().filter(s -> s.getMetadata().getName().equals(fullname)).findFirst().orElseThrow();
        assertThat(app.getSpec().getPorts()).extracting(V1ServicePort::getTargetPort).containsExactly(new IntOrString("http"));
        for (V1Ingress ingress : rendered.all(V1Ingress.class)) {
            assertThat(ingress.getSpec().getRules()).flatExtracting(r -> r.getHttp().getPaths()).allSatisfy(p -> {
                assertThat(p.getBackend().getService().getName()).isEqualTo(fullname);
                assertThat(p.getBackend().getService().getPort().getName()).isEqualTo("http");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void theTaskloopEndpointsWriteSideIsNeverReachableThroughAService(String name, Path values) {
        Rendered rendered = RenderedObjectsTest.render(values);
        Object managementPort = rendered.property("management.server.port");
        boolean aServiceReachesManagement = rendered.services().stream().flatMap(s -> s.getSpec().getPorts().stream())
                .map(V1ServicePort::getTargetPort)
                .anyMatch(t -> "management".equals(portName(t)) || Objects.equals(portNumber(t), managementPort));

        if (aServiceReachesManagement) {
            assertThat(rendered.property("management.endpoint.taskloop.access")).as("taskloop endpoint access behind a Service")
                    .isIn("read-only", "none");
        }
        assertThat(rendered.services()).allSatisfy(s -> assertThat(s.getSpec().getPorts())
                .noneMatch(p -> Objects.equals(portNumber(p.getTargetPort()), rendered.property("management.server.port"))));
    }

    private static String portName(IntOrString port) {
        return port.isInteger() ? null : port.getStrValue();
    }

    private static Integer portNumber(IntOrString port) {
        return port.isInteger() ? port.getIntValue() : null;
    }

    @Test
    void theTaskloopEndpointIsReadOnlyByDefault() {
        assertThat(HelmChart.render().property("management.endpoint.taskloop.access")).isEqualTo("read-only");
    }

    // Security

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void podsRunAsNonRootOnAReadOnlyRootFilesystemWithEveryCapabilityDroppedAndSeccomp(String name, Path values) {
        Rendered rendered = RenderedObjectsTest.render(values);
        V1PodSpec pod = rendered.podSpec();
        V1PodSecurityContext podSecurity = pod.getSecurityContext();
        V1SecurityContext security = rendered.container().getSecurityContext();

        assertThat(podSecurity.getRunAsNonRoot()).isTrue();
        assertThat(podSecurity.getRunAsUser()).isPositive();
        assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        V1Volume tmp = pod.getVolumes().stream().filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow();
        assertThat(tmp.getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
        assertThat(tmp.getEmptyDir().getSizeLimit()).isNotNull();
        assertThat(rendered.container().getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("tmp");
            assertThat(m.getMountPath()).isEqualTo("/tmp");
        });
        assertThat(rendered.env("JDK_JAVA_OPTIONS")).contains("-Djava.io.tmpdir=/tmp");

        boolean leases = "kubernetes".equals(rendered.property("taskloop.leader.backend")); // its leader election calls the API
        assertThat(pod.getAutomountServiceAccountToken()).as("service-account token mounted").isEqualTo(leases);
        assertThat(rendered.all(V1ServiceAccount.class)).allSatisfy(sa -> assertThat(sa.getAutomountServiceAccountToken()).isEqualTo(leases));
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void aServiceAccountTokenIsMountedOnlyWhenAskedFor() {
        Rendered rendered = HelmChart.render(Map.of("serviceAccount.automountToken", true));

        assertThat(rendered.podSpec().getAutomountServiceAccountToken()).isTrue();
        assertThat(rendered.one(V1ServiceAccount.class).getAutomountServiceAccountToken()).isTrue();
        assertThat(rendered.podSpec().getServiceAccountName()).isEqualTo(rendered.one(V1ServiceAccount.class).getMetadata().getName());
    }

    // Shutdown arithmetic

    @Test
    void theGracePeriodIsThePreStopSleepPlusTheDrainPlusThePhaseTimeoutPlusTheTaskloopTimeoutPlusTheMargin() {
        Rendered defaults = HelmChart.render();
        assertThat(defaults.podSpec().getTerminationGracePeriodSeconds()).isEqualTo(10 + 10 + 30 + 20 + 5);
        assertThat(defaults.container().getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(10);
        assertThat(defaults.property("spring.lifecycle.timeout-per-shutdown-phase")).isEqualTo("30s");
        assertThat(defaults.property("taskloop.shutdown.timeout")).isEqualTo("20s");
        assertThat(defaults.property("taskloop.shutdown.drain-timeout")).isEqualTo("10s");
        assertThat(defaults.property("server.shutdown")).isEqualTo("graceful");

        Rendered custom = HelmChart.render(Map.of("shutdown.preStopSleepSeconds", 3, "shutdown.phaseTimeout", "1m",
                "shutdown.taskloopTimeout", "45s", "shutdown.marginSeconds", 2, "shutdown.drainTimeout", "0s"));
        assertThat(custom.podSpec().getTerminationGracePeriodSeconds()).isEqualTo(3 + 0 + 60 + 45 + 2);
        assertThat(custom.property("spring.lifecycle.timeout-per-shutdown-phase")).isEqualTo("1m");
        assertThat(custom.property("taskloop.shutdown.timeout")).isEqualTo("45s");
    }

    @Test
    void millisecondTimeoutsAreRoundedUpToWholeSeconds() {
        Rendered rendered = HelmChart.render(Map.of("shutdown.phaseTimeout", "2001ms", "shutdown.taskloopTimeout", "1500ms", "shutdown.drainTimeout", "900ms"));

        assertThat(rendered.podSpec().getTerminationGracePeriodSeconds()).isEqualTo(10 + 1 + 3 + 2 + 5);
    }

    @Test
    void theExamplesGracePeriodsFollowTheSameFormula() {
        assertThat(HelmChart.render(Map.of(), EXAMPLES.resolve("long-shutdown.yaml")).podSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(15 + 10 + 90 + 60 + 5);
        Rendered minimal = HelmChart.render(Map.of(), EXAMPLES.resolve("minimal.yaml"));
        assertThat(minimal.podSpec().getTerminationGracePeriodSeconds()).isEqualTo(0 + 10 + 30 + 20 + 5);
        assertThat(minimal.container().getLifecycle()).as("no preStop hook when its sleep is 0").isNull();
    }

    @Test
    void aLongerGracePeriodThanNeededIsKept() {
        assertThat(HelmChart.render(Map.of("shutdown.terminationGracePeriodSeconds", 80)).podSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(80);
        assertThat(HelmChart.render(Map.of("shutdown.terminationGracePeriodSeconds", 300)).podSpec().getTerminationGracePeriodSeconds())
                .isEqualTo(300);
    }

    // Replicas and autoscaling

    @Test
    void withoutAutoscalingTheDeploymentSetsTheReplicaCount() {
        Rendered rendered = HelmChart.render();

        assertThat(rendered.deployment().getSpec().getReplicas()).isEqualTo(2);
        assertThat(rendered.all(V2HorizontalPodAutoscaler.class)).isEmpty();
    }

    @Test
    void withAutoscalingTheHorizontalPodAutoscalerOwnsTheReplicaCount() {
        Rendered rendered = HelmChart.render(Map.of("autoscaling.enabled", true, "replicaCount", 7));
        V1Deployment deployment = rendered.deployment();
        V2HorizontalPodAutoscaler hpa = rendered.one(V2HorizontalPodAutoscaler.class);

        assertThat(deployment.getSpec().getReplicas()).as("replicas left to the HPA").isNull();
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(m -> {
            assertThat(m.getResource().getName()).isEqualTo("cpu");
            assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        });
    }

    // ServiceMonitor

    @Test
    void thereIsNoServiceMonitorNorMetricsServiceUnlessEnabled() {
        Rendered rendered = HelmChart.render();

        assertThat(rendered.kinds()).doesNotContain("ServiceMonitor");
        assertThat(rendered.services()).hasSize(1);
        assertThat(rendered.deployment().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/port", "8081")
                .containsEntry("prometheus.io/path", "/actuator/prometheus");
    }

    @Test
    void anEnabledServiceMonitorScrapesThePrometheusEndpointThroughAHeadlessServiceOnTheManagementPort() {
        Rendered rendered = HelmChart.render(Map.of("metrics.serviceMonitor.enabled", true, "metrics.serviceMonitor.labels.release", "kps"));
        ServiceMonitorModel monitor = rendered.one(ServiceMonitorModel.class);
        V1Service metrics = rendered.services().stream().filter(s -> s.getMetadata().getName().endsWith("-metrics")).findFirst().orElseThrow();

        assertThat(monitor.labels()).containsEntry("release", "kps");
        assertThat(monitor.endpoints()).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus")
                    .containsEntry("interval", "30s").containsEntry("scrapeTimeout", "10s");
        });
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) monitor.spec().get("selector")).get("matchLabels");
        assertThat(metrics.getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertThat(rendered.services()).filteredOn(s -> !s.getMetadata().getName().equals(metrics.getMetadata().getName()))
                .allSatisfy(s -> assertThat(s.getMetadata().getLabels()).doesNotContainEntry("app.kubernetes.io/component", "metrics"));
        assertThat(metrics.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("management");
            assertThat(p.getTargetPort()).isEqualTo(new IntOrString("management"));
        });
        assertThat(rendered.property("management.endpoint.taskloop.access")).isEqualTo("read-only");
    }

    // JVM and resources

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void theJvmSizesItsHeapFromTheMemoryLimitAndExitsOnOutOfMemory(String name, Path values) {
        Rendered rendered = RenderedObjectsTest.render(values);
        Map<String, Quantity> requests = rendered.container().getResources().getRequests();
        Map<String, Quantity> limits = rendered.container().getResources().getLimits();

        assertThat(rendered.env("JDK_JAVA_OPTIONS")).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");
        assertThat(limits).containsKey("memory");
        assertThat(limits.get("memory")).as("memory limit = request").isEqualTo(requests.get("memory"));
    }

    @Test
    void anExplicitMemoryLimitIsKeptAndJvmOptionsAreAppended() {
        Rendered rendered = HelmChart.render(Map.of("resources.limits.memory", "2Gi", "jvm.maxRamPercentage", 60,
                "jvm.extraOptions[0]", "-Xlog:gc:stderr"));

        assertThat(rendered.container().getResources().getLimits().get("memory")).isEqualTo(new Quantity("2Gi"));
        assertThat(rendered.container().getResources().getRequests().get("memory")).isEqualTo(new Quantity("768Mi"));
        assertThat(rendered.env("JDK_JAVA_OPTIONS")).isEqualTo("-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp -Xlog:gc:stderr");
    }

    // Configuration

    @Test
    void theConfigurationIsMountedReadOnlyAndAddedToSpringsConfigLocations() {
        Rendered rendered = HelmChart.render();
        V1ConfigMap configMap = rendered.one(V1ConfigMap.class);

        assertThat(rendered.env("SPRING_CONFIG_ADDITIONAL_LOCATION")).isEqualTo("file:/config/application.yaml");
        assertThat(rendered.podSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("config");
            assertThat(v.getConfigMap().getName()).isEqualTo(configMap.getMetadata().getName());
        });
        assertThat(rendered.container().getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("config");
            assertThat(m.getMountPath()).isEqualTo("/config");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(rendered.property("server.address")).isEqualTo("0.0.0.0");
        assertThat(rendered.property("management.server.address")).isEqualTo("0.0.0.0");
        assertThat(rendered.property("server.port")).isEqualTo(8080);
        assertThat(rendered.property("taskloop.health.stuck-threshold")).isEqualTo("5s");
    }

    @Test
    void userConfigurationReachesApplicationYamlAndAChangeRollsThePods() {
        Rendered before = HelmChart.render();
        Rendered after = HelmChart.render(Map.of("config.taskloop.loops", "main,io"));

        assertThat(after.property("taskloop.loops")).isEqualTo("main,io");
        assertThat(after.deployment().getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config"))
                .isNotEqualTo(before.deployment().getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config"));
    }

    // Network policy and dashboard

    @Test
    void theNetworkPolicyOpensTheManagementPortOnlyToTheGivenPeers() {
        Rendered production = HelmChart.render(Map.of(), EXAMPLES.resolve("production.yaml"));
        V1NetworkPolicy policy = production.one(V1NetworkPolicy.class);

        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        List<V1NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(new IntOrString("http")));
        assertThat(rules.get(1).getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(new IntOrString("management")));
        assertThat(rules.get(1).getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", "monitoring"));

        V1NetworkPolicy closed = HelmChart.render(Map.of("networkPolicy.enabled", true)).one(V1NetworkPolicy.class);
        assertThat(closed.getSpec().getIngress()).as("no managementFrom: no rule opens the management port").singleElement()
                .satisfies(r -> assertThat(r.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(new IntOrString("http"))));
    }

    @Test
    void theDashboardConfigMapCarriesTheDashboardForTheGrafanaSidecar() throws Exception {
        Rendered rendered = HelmChart.render(Map.of("dashboard.enabled", true, "dashboard.namespace", "monitoring"));
        V1ConfigMap dashboard = rendered.all(V1ConfigMap.class).stream().filter(c -> c.getMetadata().getName().endsWith("-dashboard"))
                .findFirst().orElseThrow();

        assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("taskloop.json"))
                .isEqualTo(java.nio.file.Files.readString(HelmChart.DIRECTORY.resolve("dashboards/taskloop.json")).strip());
        assertThat(HelmChart.render().all(V1ConfigMap.class)).hasSize(1);
    }
}
