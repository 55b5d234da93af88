package dev.taskloop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * Spring Boot's rules for auto-configurations and conditions (those of Boot's own build, and the ones
 * its documentation asks of auto-configurations), the layering inside this module, and the rule for
 * its tests, on this module's classes.
 *
 * <p>As in the demo's {@code ArchitectureTest}, every rule is built by a method, so that
 * {@link EachRuleCatchesItsViolation} can run the same rule against fixture packages under
 * {@code dev.taskloop.archfixture} (test sources only) that break it on purpose: a rule that passes on
 * the product is only worth something if it fails on a violation.
 */
class ArchitectureRulesTest {

    private static final String ROOT = "dev.taskloop";

    private static final String FIXTURES = ROOT + ".archfixture";

    /** The module's main classes: core's are on the classpath too, and not this module's to check. */
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT + ".spring", ROOT + ".actuate", ROOT + ".autoconfigure");

    /** The module's test classes, but the fixtures. */
    private static final JavaClasses TESTS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/dev/taskloop/archfixture/"))
            .importPackages(ROOT);

    /** The auto-configurations this module lists, as Spring Boot finds them. */
    private static final List<String> IMPORTS = ImportCandidates.load(AutoConfiguration.class, ArchitectureRulesTest.class.getClassLoader())
            .getCandidates().stream().filter(name -> name.startsWith(ROOT + ".")).toList();

    /** What the module's {@code @ImportAutoConfiguration} annotations for tests import (from their own imports files). */
    private static final List<String> TEST_IMPORTS = List.of(dev.taskloop.spring.test.AutoConfigureVirtualTime.class).stream()
            .flatMap(a -> ImportCandidates.load(a, ArchitectureRulesTest.class.getClassLoader()).getCandidates().stream()).toList();

    // ------------------------------------------------------------------ auto-configurations

    static ArchRule autoConfigurationsArePublicFinalAndAnnotated() {
        return classes().that().haveSimpleNameEndingWith("AutoConfiguration").or().areAnnotatedWith(AutoConfiguration.class)
                .should().bePublic().andShould().haveModifier(JavaModifier.FINAL).andShould().beAnnotatedWith(AutoConfiguration.class)
                .because("an auto-configuration is an entry point Spring Boot loads by name, public, final and @AutoConfiguration"
                        + " (Spring Boot's ArchitectureRules)");
    }

    static ArchRule autoConfigurationsHaveNoPublicMembers() {
        return members().that().areDeclaredInClassesThat().areAnnotatedWith(AutoConfiguration.class)
                .and(DescribedPredicate.describe("are not no-argument constructors", (JavaMember m) -> !(m instanceof JavaConstructor c)
                        || !c.getRawParameterTypes().isEmpty()))
                .and(DescribedPredicate.describe("are not constants", (JavaMember m) -> !(m instanceof JavaField f)
                        || !f.getModifiers().containsAll(Set.of(JavaModifier.STATIC, JavaModifier.FINAL))))
                .should().notBePublic()
                .allowEmptyShould(true) // ours are annotations and an @Import only
                .because("what an auto-configuration holds is not an API (Spring Boot's ArchitectureRules)");
    }

    static ArchRule autoConfigurationsAreListedInTheImportsFile(List<String> imports) {
        return classes().that().areAnnotatedWith(AutoConfiguration.class).should(new ArchCondition<>("be listed in the imports file") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                if (!imports.contains(c.getName())) {
                    events.add(SimpleConditionEvent.violated(c, c.getName() + " is not listed in"
                            + " META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports (nor in a test"
                            + " annotation's imports file), so Spring Boot never loads it"));
                }
            }
        });
    }

    static ArchRule theImportsFileListsOnlyAutoConfigurations(List<String> imports) {
        return classes().that(DescribedPredicate.describe("are listed in the imports file", (JavaClass c) -> imports.contains(c.getName())))
                .should().beAnnotatedWith(AutoConfiguration.class)
                .because("Spring Boot orders and filters what the imports file lists as auto-configurations");
    }

    static ArchRule whatAutoConfigurationsImportIsPackagePrivateAndNoAutoConfiguration() {
        return classes().that().areAnnotatedWith(AutoConfiguration.class)
                .should(new ArchCondition<>("import only package-private configurations that are no auto-configurations and no stereotypes") {
                    @Override
                    public void check(JavaClass autoConfiguration, ConditionEvents events) {
                        for (JavaClass imported : imports(autoConfiguration, new LinkedHashSet<>())) {
                            if (imported.getModifiers().contains(JavaModifier.PUBLIC)) {
                                events.add(SimpleConditionEvent.violated(imported, autoConfiguration.getName() + " imports "
                                        + imported.getName() + ", which is public: applications could import it themselves"));
                            }
                            if (imported.isAnnotatedWith(AutoConfiguration.class)) {
                                events.add(SimpleConditionEvent.violated(imported, autoConfiguration.getName() + " imports "
                                        + imported.getName() + ", an auto-configuration: it would run out of its order"));
                            } else if (imported.isAnnotatedWith(Component.class) || imported.isMetaAnnotatedWith(Component.class)) {
                                events.add(SimpleConditionEvent.violated(imported, autoConfiguration.getName() + " imports "
                                        + imported.getName() + ", a @Configuration or @Component: an application whose component"
                                        + " scan covers dev.taskloop (root package dev) would register its beans twice"));
                            }
                        }
                    }
                }).because("Spring Boot's auto-configurations are thin and import package-private configurations"
                        + " (TaskExecutionAutoConfiguration), which @Import reads without @Configuration, so no scan finds them");
    }

    /** What {@code c} imports, and what that imports in turn. */
    private static Set<JavaClass> imports(JavaClass c, Set<JavaClass> found) {
        if (c.isAnnotatedWith(Import.class)) {
            for (JavaClass imported : (JavaClass[]) c.getAnnotationOfType(Import.class.getName()).get("value").orElse(new JavaClass[0])) {
                if (found.add(imported)) {
                    imports(imported, found);
                }
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ conditions and bean methods

    static ArchRule conditionsAreNotPublic() {
        return noClasses().that().areAssignableTo(SpringBootCondition.class).and().doNotHaveModifier(JavaModifier.ABSTRACT)
                .should().bePublic()
                .because("a condition is an implementation detail of its auto-configuration (Spring Boot's ArchitectureRules)");
    }

    static ArchRule conditionalOnClassIsNotOnBeanMethods() {
        return methods().that().areAnnotatedWith(Bean.class).should().notBeAnnotatedWith(ConditionalOnClass.class)
                .allowEmptyShould(true) // the product has no @ConditionalOnClass on @Bean methods, as the rule wants
                .because("@ConditionalOnClass on a @Bean method cannot keep the method's signature from being loaded; it goes on"
                        + " the configuration class (Spring Boot's ArchitectureRules)");
    }

    static ArchRule beanConditionsOnTypesNameWhatTheyStandFor() {
        return classes().that().areAnnotatedWith(ConditionalOnMissingBean.class).or().areAnnotatedWith(ConditionalOnBean.class)
                .should(new ArchCondition<>("name the beans their bean conditions are about") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        for (Class<?> condition : List.of(ConditionalOnMissingBean.class, ConditionalOnBean.class)) {
                            if (c.isAnnotatedWith(condition.getName()) && !namesABean(c.getAnnotationOfType(condition.getName()))) {
                                events.add(SimpleConditionEvent.violated(c, c.getName() + " has a bare @" + condition.getSimpleName()
                                        + ": only on a @Bean method can Spring Boot deduce the bean it is about (from the return type)"));
                            }
                        }
                    }
                }).because("a bean condition without a type goes on the @Bean method, whose return type it is about");
    }

    private static boolean namesABean(JavaAnnotation<?> condition) {
        Map<String, Object> properties = condition.getProperties();
        for (String attribute : List.of("value", "type", "name", "annotation")) {
            Object v = properties.get(attribute);
            if (v instanceof Object[] array && array.length > 0) {
                return true;
            }
        }
        return false;
    }

    static ArchRule conditionalOnMissingBeanDoesNotNameOnlyTheReturnType() {
        return methods().that().areAnnotatedWith(ConditionalOnMissingBean.class)
                .should(new ArchCondition<>("not name only their return type in @ConditionalOnMissingBean") {
                    @Override
                    public void check(JavaMethod m, ConditionEvents events) {
                        Map<String, Object> p = m.getAnnotationOfType(ConditionalOnMissingBean.class.getName()).getProperties();
                        if (p.get("value") instanceof Object[] value && value.length == 1 && value[0].equals(m.getRawReturnType())
                                && isEmpty(p.get("type")) && isEmpty(p.get("name"))) {
                            events.add(SimpleConditionEvent.violated(m, m.getFullName() + " names only its own return type in"
                                    + " @ConditionalOnMissingBean, which Spring Boot deduces"));
                        }
                    }
                }).because("it is redundant (Spring Boot's ArchitectureRules)");
    }

    private static boolean isEmpty(Object attribute) {
        return !(attribute instanceof Object[] array) || array.length == 0;
    }

    static ArchRule postProcessorBeanMethodsAreStatic() {
        return methods().that().areAnnotatedWith(Bean.class).and().haveRawReturnType(DescribedPredicate.describe(
                        "a bean (factory) post-processor", (JavaClass t) -> t.isAssignableTo(BeanPostProcessor.class)
                                || t.isAssignableTo(BeanFactoryPostProcessor.class)))
                .should().beStatic()
                .because("an instance @Bean method creates its configuration, and what it injects, before post-processing"
                        + " (Spring Boot's ArchitectureRules)");
    }

    static ArchRule configurationPropertiesNameTheirPrefixAsValue() {
        return classes().that().areAnnotatedWith(ConfigurationProperties.class)
                .should(new ArchCondition<>("name their prefix with value, not prefix") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        Map<String, Object> p = c.getAnnotationOfType(ConfigurationProperties.class.getName()).getProperties();
                        if (!"".equals(p.get("prefix"))) {
                            events.add(SimpleConditionEvent.violated(c, c.getName() + " names its prefix with 'prefix'"));
                        }
                    }
                }).because("Spring Boot's ArchitectureRules");
    }

    // ------------------------------------------------------------------ layers inside the module

    static ArchRule theUserApiDoesNotDependOnTheInternals(String root) {
        return noClasses().that().resideInAPackage(root + ".spring")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".spring.support..", root + ".actuate..", root + ".autoconfigure..")
                .because("dev.taskloop.spring is what applications use; the internals use it, not the other way (DESIGN §4)");
    }

    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles()
                .because("every package of the module points one way (Spring Boot's allPackagesShouldBeFreeOfTangles)");
    }

    // ------------------------------------------------------------------ tests

    static ArchRule testsDoNotSleepButThroughBlocking() {
        return noClasses().should().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
                .orShould().callMethod(Thread.class, "sleep", Duration.class)
                .because("tests never sleep and hope; a deliberate blocker calls dev.taskloop.core.testing.Blocking.sleep");
    }

    // ------------------------------------------------------------------ on the product

    @Test
    void theImportHoldsTheModulesClassesAndTheImportsFileItsAutoConfigurations() {
        assertThat(PRODUCTION.contain(dev.taskloop.autoconfigure.TaskloopAutoConfiguration.class)).isTrue();
        assertThat(PRODUCTION.contain(dev.taskloop.core.EventLoop.class)).as("core imported").isFalse();
        assertThat(PRODUCTION.contain(ArchitectureRulesTest.class)).as("test classes imported").isFalse();
        assertThat(TESTS.contain(ArchitectureRulesTest.class)).isTrue();
        assertThat(TESTS.containPackage(FIXTURES + ".sleeper")).as("fixtures imported").isFalse();
        assertThat(IMPORTS).containsExactly("dev.taskloop.autoconfigure.TaskloopAutoConfiguration",
                "dev.taskloop.autoconfigure.actuate.TaskloopEndpointAutoConfiguration",
                "dev.taskloop.autoconfigure.actuate.TaskloopHealthAutoConfiguration",
                "dev.taskloop.autoconfigure.actuate.TaskloopMetricsAutoConfiguration");
    }

    @Test
    void autoConfigurationsArePublicFinalAndAnnotatedWithAutoConfiguration() {
        autoConfigurationsArePublicFinalAndAnnotated().check(PRODUCTION);
    }

    @Test
    void noAutoConfigurationHasAPublicMember() {
        autoConfigurationsHaveNoPublicMembers().check(PRODUCTION);
    }

    @Test
    void everyAutoConfigurationIsListedInTheImportsFileAndTheFileListsNothingElse() {
        List<String> listed = new java.util.ArrayList<>(IMPORTS);
        listed.addAll(TEST_IMPORTS);
        autoConfigurationsAreListedInTheImportsFile(listed).check(PRODUCTION);
        theImportsFileListsOnlyAutoConfigurations(IMPORTS).check(PRODUCTION);
        theImportsFileListsOnlyAutoConfigurations(TEST_IMPORTS).check(PRODUCTION);
    }

    @Test
    void virtualTimeIsImportedByItsTestAnnotationOnlyNeverByApplications() {
        assertThat(TEST_IMPORTS).containsExactly("dev.taskloop.autoconfigure.test.VirtualTimeAutoConfiguration");
        assertThat(IMPORTS).doesNotContainAnyElementsOf(TEST_IMPORTS);
    }

    @Test
    void whatAnAutoConfigurationImportsIsPackagePrivateAndNoAutoConfiguration() {
        whatAutoConfigurationsImportIsPackagePrivateAndNoAutoConfiguration().check(PRODUCTION);
    }

    @Test
    void noConditionIsPublic() {
        conditionsAreNotPublic().check(PRODUCTION);
    }

    @Test
    void conditionalOnClassIsOnTypesNeverOnBeanMethods() {
        conditionalOnClassIsNotOnBeanMethods().check(PRODUCTION);
    }

    @Test
    void beanConditionsOnTypesNameTheBeansTheyAreAbout() {
        beanConditionsOnTypesNameWhatTheyStandFor().check(PRODUCTION);
    }

    @Test
    void conditionalOnMissingBeanNeverNamesOnlyTheReturnType() {
        conditionalOnMissingBeanDoesNotNameOnlyTheReturnType().check(PRODUCTION);
    }

    @Test
    void postProcessorsAreDeclaredByStaticBeanMethods() {
        postProcessorBeanMethodsAreStatic().check(PRODUCTION);
    }

    @Test
    void everyConfigurationPropertiesClassNamesItsPrefixAsValue() {
        configurationPropertiesNameTheirPrefixAsValue().check(PRODUCTION);
    }

    @Test
    void theUserApiDependsOnNoneOfTheInternals() {
        theUserApiDoesNotDependOnTheInternals(ROOT).check(PRODUCTION);
    }

    @Test
    void thePackagesOfTheModuleAreFreeOfCycles() {
        noPackageCycles(ROOT).check(PRODUCTION);
    }

    @Test
    void theTestsCallThreadSleepOnlyThroughBlocking() {
        testsDoNotSleepButThroughBlocking().check(TESTS);
    }

    // ------------------------------------------------------------------ on fixtures that break them

    @Nested
    class EachRuleCatchesItsViolation {

        private static JavaClasses fixture(String name) {
            return new ClassFileImporter().importPackages(FIXTURES + "." + name);
        }

        private static String report(EvaluationResult result) {
            assertThat(result.hasViolation()).isTrue();
            return String.join("\n", result.getFailureReport().getDetails());
        }

        @Test
        void anAutoConfigurationThatIsNotFinalNotPublicOrNotAnnotatedBreaksTheFirstRule() {
            String report = report(autoConfigurationsArePublicFinalAndAnnotated().evaluate(fixture("notfinal")));

            assertThat(report).contains("NotFinalAutoConfiguration", "UnannotatedAutoConfiguration", "PackagePrivateAutoConfiguration");
        }

        @Test
        void aPublicBeanMethodOfAnAutoConfigurationIsAPublicMemberButAConstantIsNot() {
            String report = report(autoConfigurationsHaveNoPublicMembers().evaluate(fixture("publicmember")));

            assertThat(report).contains("PublicBeanAutoConfiguration.thing()").doesNotContain("ALLOWED").doesNotContain("<init>");
        }

        @Test
        void anUnlistedAutoConfigurationAndAListedPlainConfigurationBreakTheImportsFileRules() {
            List<String> imports = List.of(FIXTURES + ".unlisted.ListedPlainConfiguration");

            assertThat(report(autoConfigurationsAreListedInTheImportsFile(imports).evaluate(fixture("unlisted"))))
                    .contains("UnlistedAutoConfiguration is not listed");
            assertThat(report(theImportsFileListsOnlyAutoConfigurations(imports).evaluate(fixture("unlisted"))))
                    .contains("ListedPlainConfiguration");
        }

        @Test
        void importingAPublicConfigurationOrAnAutoConfigurationDirectlyOrThroughAnotherImportBreaksTheImportRule() {
            String report = report(whatAutoConfigurationsImportIsPackagePrivateAndNoAutoConfiguration().evaluate(fixture("badimport")));

            assertThat(report).contains("PublicConfiguration, which is public", "OtherAutoConfiguration, an auto-configuration",
                    "DeepPublicConfiguration, which is public", "ScannableConfiguration, a @Configuration or @Component")
                    .doesNotContain("FineConfiguration,");
        }

        @Test
        void aPublicConditionBreaksTheConditionRule() {
            assertThat(report(conditionsAreNotPublic().evaluate(fixture("publiccondition")))).contains("PublicCondition");
        }

        @Test
        void conditionalOnClassOnABeanMethodBreaksItsRule() {
            assertThat(report(conditionalOnClassIsNotOnBeanMethods().evaluate(fixture("beanconditions"))))
                    .contains("ClassConditionOnBeanMethod.guarded()").doesNotContain("fine()");
        }

        @Test
        void aBareBeanConditionOnATypeBreaksItsRuleButOneNamingItsTypeDoesNot() {
            String report = report(beanConditionsOnTypesNameWhatTheyStandFor().evaluate(fixture("beanconditions")));

            assertThat(report).contains("BareConditionOnType has a bare @ConditionalOnMissingBean",
                    "BareConditionOnType has a bare @ConditionalOnBean").doesNotContain("NamedConditionOnType");
        }

        @Test
        void conditionalOnMissingBeanNamingOnlyTheReturnTypeBreaksItsRuleButABareOneDoesNot() {
            assertThat(report(conditionalOnMissingBeanDoesNotNameOnlyTheReturnType().evaluate(fixture("beanconditions"))))
                    .contains("redundant()").doesNotContain("fine()");
        }

        @Test
        void anInstanceBeanMethodReturningAPostProcessorBreaksItsRule() {
            assertThat(report(postProcessorBeanMethodsAreStatic().evaluate(fixture("postprocessor")))).contains("processor()");
        }

        @Test
        void configurationPropertiesNamingTheirPrefixAsPrefixBreakItsRule() {
            assertThat(report(configurationPropertiesNameTheirPrefixAsValue().evaluate(fixture("prefixonly"))))
                    .contains("PrefixOnlyProperties");
        }

        @Test
        void theApiUsingTheInternalsBreaksTheLayerRuleAndTheCycleBreaksTheCycleRule() {
            String root = FIXTURES + ".layers";

            assertThat(report(theUserApiDoesNotDependOnTheInternals(root).evaluate(fixture("layers")))).contains("UsesSupport");
            assertThat(report(noPackageCycles(root).evaluate(fixture("layers")))).contains("spring", "support");
        }

        @Test
        void aTestCallingThreadSleepBreaksTheSleepRuleButBlockingSleepDoesNot() {
            String report = report(testsDoNotSleepButThroughBlocking().evaluate(fixture("sleeper")));

            assertThat(report).contains("SleepsAndHopes.hope()").doesNotContain("SleepsAndHopes.block()");
            List<String> lines = new ArrayList<>(List.of(report.split("\n")));
            assertThat(lines).hasSize(2);
        }
    }
}
