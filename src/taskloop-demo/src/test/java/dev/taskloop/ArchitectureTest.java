package dev.taskloop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The package directions of DESIGN §4, on the production classes.
 *
 * <p>Every rule is built for a root package, so that {@link EachRuleCatchesItsViolation} can run
 * the same rule against fixture packages under {@code dev.taskloop.archfixture} (test sources
 * only) that break it on purpose: a rule that passes on the product is only worth something if
 * it fails on a violation.
 *
 * <p>No rule needs {@code allowEmptyShould(true)}, although {@code spring}, {@code actuate} and
 * {@code autoconfigure} do not exist yet: the rules are phrased so that their subject is never
 * empty ({@code core} and {@code demo} exist, and "nothing outside X" selects them), and an empty
 * subject still fails, which guards against an import that silently finds nothing.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.taskloop";

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    // ------------------------------------------------------------------ the rules

    static ArchRule coreImportsNoIntegrationNorFramework(String root) {
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        root + ".spring..", root + ".actuate..", root + ".autoconfigure..", root + ".demo..",
                        "org.springframework..", "io.micrometer..")
                .because("the core is framework-free; integrations observe it through core.spi (DESIGN §3, §4)");
    }

    static ArchRule coreDependsOnlyOnTheJdk(String root) {
        return classes().that().resideInAPackage(root + ".core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".core..", "java..", "org.jspecify.annotations..")
                .because("dev.taskloop.core is the public runtime API, JDK only (DESIGN §4); JSpecify's nullness"
                        + " annotations are needed to compile only (provided scope), and the JVM ignores them when absent");
    }

    static ArchRule nothingOutsideCoreDependsOnCoreInternal(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".core..")
                .should().dependOnClassesThat().resideInAPackage(root + ".core.internal..")
                .because("core.internal is the scheduler behind the public API; nothing outside core imports it (DESIGN §4)");
    }

    static ArchRule nothingOutsideAutoconfigureDependsOnAutoconfigure(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".autoconfigure..")
                .should().dependOnClassesThat().resideInAPackage(root + ".autoconfigure..")
                .because("auto-configuration is an entry point for Spring Boot, not an API (DESIGN §4)");
    }

    /**
     * Cycles among the top-level slices {@code core}, {@code spring}, {@code actuate},
     * {@code autoconfigure}, {@code demo}. {@code core..} is one slice: the public API types and
     * their implementations in {@code core.internal} reference each other on purpose.
     */
    static ArchRule noCyclesBetweenTopLevelSlices(String root) {
        return slices().matching(root + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .because("the layers core <- spring <- actuate/autoconfigure <- demo point one way (DESIGN §4)");
    }

    // ------------------------------------------------------------------ on the product

    @Test
    void theImportHoldsTheProductionCoreAndNoTestClasses() {
        assertThat(PRODUCTION.containPackage(ROOT + ".core")).isTrue();
        assertThat(PRODUCTION.contain(dev.taskloop.core.EventLoop.class)).isTrue();
        assertThat(PRODUCTION.contain(ArchitectureTest.class)).as("test classes imported").isFalse();
        assertThat(PRODUCTION.containPackage(ROOT + ".archfixture")).as("fixtures imported").isFalse();
    }

    @Test
    void theCoreImportsNothingFromSpringActuateAutoconfigureTheDemoSpringFrameworkOrMicrometer() {
        coreImportsNoIntegrationNorFramework(ROOT).check(PRODUCTION);
    }

    @Test
    void theCoreDependsOnTheJdkOnly() {
        coreDependsOnlyOnTheJdk(ROOT).check(PRODUCTION);
    }

    @Test
    void nothingOutsideTheCoreDependsOnCoreInternal() {
        nothingOutsideCoreDependsOnCoreInternal(ROOT).check(PRODUCTION);
    }

    @Test
    void nothingOutsideAutoconfigureDependsOnAutoconfigure() {
        nothingOutsideAutoconfigureDependsOnAutoconfigure(ROOT).check(PRODUCTION);
    }

    @Test
    void theTopLevelSlicesAreFreeOfCycles() {
        noCyclesBetweenTopLevelSlices(ROOT).check(PRODUCTION);
    }

    // ------------------------------------------------------------------ on fixtures that break them

    @Nested
    class EachRuleCatchesItsViolation {

        private static final String FIXTURES = "dev.taskloop.archfixture";

        private static JavaClasses fixture(String name) {
            return new ClassFileImporter().importPackages(FIXTURES + "." + name);
        }

        @Test
        void aCoreClassReachingIntoEveryForbiddenPackageBreaksTheCoreRuleOncePerTarget() {
            String root = FIXTURES + ".corelayering";
            EvaluationResult result = coreImportsNoIntegrationNorFramework(root).evaluate(fixture("corelayering"));

            assertThat(result.hasViolation()).isTrue();
            assertThat(String.join("\n", result.getFailureReport().getDetails()))
                    .contains(root + ".spring.Target", root + ".actuate.Target", root + ".autoconfigure.Target",
                            root + ".demo.Target", "org.springframework.util.StringUtils",
                            "io.micrometer.common.util.StringUtils");
            assertThat(coreDependsOnlyOnTheJdk(root).evaluate(fixture("corelayering")).hasViolation()).isTrue();
        }

        @Test
        void anIntegrationUsingCoreInternalBreaksTheInternalRuleButTheCoreItselfMayUseIt() {
            String root = FIXTURES + ".internalleak";
            EvaluationResult result = nothingOutsideCoreDependsOnCoreInternal(root).evaluate(fixture("internalleak"));

            assertThat(result.hasViolation()).isTrue();
            assertThat(result.getFailureReport().getDetails())
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line).as("only the integration is a violation, not core.Api")
                            .contains("<" + root + ".spring.UsesInternal.")
                            .doesNotContain("<" + root + ".core.Api"));
        }

        @Test
        void codeOutsideAutoconfigureImportingItBreaksTheAutoconfigureRuleButAutoconfigureMayUseItself() {
            String root = FIXTURES + ".autoconfigureleak";
            EvaluationResult result = nothingOutsideAutoconfigureDependsOnAutoconfigure(root).evaluate(fixture("autoconfigureleak"));

            assertThat(result.hasViolation()).isTrue();
            assertThat(result.getFailureReport().getDetails())
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains(root + ".demo.UsesConfig"));
        }

        @Test
        void springAndActuateReferencingEachOtherBreakTheCycleRule() {
            String root = FIXTURES + ".cycle";
            EvaluationResult result = noCyclesBetweenTopLevelSlices(root).evaluate(fixture("cycle"));

            assertThat(result.hasViolation()).isTrue();
            assertThat(String.join("\n", result.getFailureReport().getDetails())).contains("spring", "actuate");
        }

        @Test
        void coreAndCoreInternalReferencingEachOtherAreNotACycle() {
            String root = FIXTURES + ".internalleak";

            assertThat(noCyclesBetweenTopLevelSlices(root).evaluate(fixture("internalleak")).hasViolation()).isFalse();
        }
    }
}
