package dev.taskloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Leader election in the chart: with {@code leaderElection.backend=kubernetes} the Role and
 * RoleBinding on Leases, the service-account token and the downward-API pod name and namespace are
 * rendered (and validated strictly like every other object); without it, none of them is. The
 * example runs three replicas with a singleton's timings written out and the demo's sharded task.
 */
class ChartLeaderElectionTest {

    private static Rendered leases() {
        return HelmChart.render(Map.of("leaderElection.backend", "kubernetes"));
    }

    @Test
    void theLeaseBackendGetsARoleOnLeasesBoundToThePodsServiceAccount() {
        Rendered rendered = leases();

        assertThat(rendered.validated()).hasSameSizeAs(rendered.objects());
        V1Role role = rendered.one(V1Role.class);
        assertThat(role.getMetadata().getName()).isEqualTo("orders-taskloop-leader-election");
        assertThat(role.getRules()).singleElement().satisfies((V1PolicyRule rule) -> {
            assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
            assertThat(rule.getResources()).containsExactly("leases");
            assertThat(rule.getVerbs()).as("delete: a sharded task's pods remove their membership Leases")
                    .containsExactly("get", "list", "watch", "create", "update", "patch", "delete");
            assertThat(rule.getResourceNames()).isNullOrEmpty();
        });
        V1RoleBinding binding = rendered.one(V1RoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(rendered.podSpec().getServiceAccountName())
                    .isEqualTo(rendered.one(V1ServiceAccount.class).getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(HelmChart.NAMESPACE);
        });
    }

    @Test
    void theLeaseBackendMountsTheTokenAndGivesThePodItsNameAndNamespaceFromTheDownwardApi() {
        Rendered rendered = leases();

        assertThat(rendered.podSpec().getAutomountServiceAccountToken()).isTrue();
        assertThat(rendered.one(V1ServiceAccount.class).getAutomountServiceAccountToken()).isTrue();
        assertThat(fieldRef(rendered, "POD_NAME")).contains("metadata.name");
        assertThat(fieldRef(rendered, "POD_NAMESPACE")).contains("metadata.namespace");
        assertThat(rendered.property("taskloop.leader.backend")).isEqualTo("kubernetes");
        assertThat(rendered.property("taskloop.leader.kubernetes.lease-name-prefix")).isEqualTo("orders-taskloop-");
    }

    @ParameterizedTest(name = "leaderElection.backend=\"{0}\"")
    @ValueSource(strings = {"", "jdbc", "none"})
    void withoutTheLeaseBackendThereIsNoRbacNoTokenAndNoPodName(String backend) {
        Rendered rendered = HelmChart.render(Map.of("leaderElection.backend", backend));

        assertThat(rendered.kinds()).doesNotContain("Role", "RoleBinding");
        assertThat(rendered.podSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(rendered.one(V1ServiceAccount.class).getAutomountServiceAccountToken()).isFalse();
        assertThat(rendered.container().getEnv()).extracting(V1EnvVar::getName).doesNotContain("POD_NAME", "POD_NAMESPACE");
        assertThat(rendered.property("taskloop.leader.backend")).isEqualTo(backend.isEmpty() ? null : backend);
        assertThat(rendered.property("taskloop.leader.kubernetes")).isNull();
    }

    @Test
    void theDefaultValuesLeaveTheBackendToTheApplication() {
        Rendered rendered = HelmChart.render();

        assertThat(rendered.kinds()).doesNotContain("Role", "RoleBinding");
        assertThat(rendered.property("taskloop.leader")).isNull();
    }

    @Test
    void theExampleRunsThreeReplicasOnLeasesWithTheTimingsWrittenOutAndTheDemosShardedTask() {
        Rendered rendered = HelmChart.render(Map.of(), HelmChart.DIRECTORY.resolve("examples/leader-election.yaml"));

        assertThat(rendered.kinds()).contains("Role", "RoleBinding");
        assertThat(rendered.deployment().getSpec().getReplicas()).isEqualTo(3);
        assertThat(rendered.property("taskloop.leader.renew-deadline")).isEqualTo("10s");
        assertThat(rendered.property("demo.tenants.shards")).as("the demo's tenant-poller, 4 shards a pod").isEqualTo(12);
        assertThat(rendered.property("taskloop.leader.kubernetes.lease-name-prefix")).isEqualTo("orders-taskloop-");
        assertThat(HelmChart.notes(HelmChart.DIRECTORY.resolve("examples/leader-election.yaml")))
                .contains("Singleton and sharded tasks: leader election on Leases orders-taskloop-<election> (a sharded task's"
                        + " orders-taskloop-<election>-<index>; Role orders-taskloop-leader-election)");
    }

    @Test
    void anUnknownBackendIsRefusedByTheSchema() {
        assertThat(HelmChart.renderError(Map.of("leaderElection.backend", "etcd"))).contains("at '/leaderElection/backend'")
                .contains("'kubernetes', 'jdbc', 'none'");
    }

    @Test
    void theBackendUnderConfigIsRefusedPointingToTheValue() {
        assertThat(HelmChart.renderError(Map.of("config.taskloop.leader.backend", "kubernetes")))
                .contains("config.taskloop.leader.backend: the chart sets taskloop.leader.backend itself; use the value leaderElection.backend instead");
    }

    private static Optional<String> fieldRef(Rendered rendered, String env) {
        List<V1EnvVar> vars = rendered.container().getEnv();
        return vars.stream().filter(v -> v.getName().equals(env)).findFirst()
                .map(v -> v.getValueFrom().getFieldRef().getFieldPath());
    }
}
