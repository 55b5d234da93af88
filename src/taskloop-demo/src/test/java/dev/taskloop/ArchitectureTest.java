package dev.taskloop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.taskloop.core.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module and package directions of DESIGN §4 on the production classes of every module, and the
 * test rules of DESIGN §6 on the test classes of every module.
 *
 * <p>What is checked is read from the filesystem, not from this module's class path: the production
 * classes of every module ({@code <root>/src/*}{@code /target/classes}) in one import, and separately
 * the test classes of every module ({@code <root>/src/*}{@code /target/test-classes}), where
 * {@code <root>} is the system property {@code taskloop.root} that the root pom sets for surefire
 * and failsafe. The demo module, which holds this test, depends on every other module in the
 * reactor, so they are compiled before it runs; a module whose classes are missing fails every
 * product check with a message saying what to run.
 *
 * <p>Every rule is built for a root package, so that {@link EachRuleCatchesItsViolation} can run
 * the same rule against fixture packages under {@code dev.taskloop.archfixture} (test sources
 * only, left out of the import of the demo's test classes) that break it on purpose: a rule that
 * passes on the product is only worth something if it fails on a violation.
 *
 * <p>No rule needs {@code allowEmptyShould(true)}: every subject exists in the product (an empty
 * subject still fails, which guards against an import that silently finds nothing), and a rule
 * about a package that may not exist yet ({@code spring.support}) names it only as a forbidden
 * target, which holds whether or not the package exists.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.taskloop";
    /** The application of the starter-it module: a user of the starter, outside {@code dev.taskloop}. */
    private static final String APPLICATION = "dev.example";
    /** The JDK, as far as the core and the benchmarks may depend on it. */
    private static final String JDK = "java..";

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
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".core..", JDK, "org.jspecify.annotations..")
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
     * {@code autoconfigure}, {@code demo}, {@code bench}. {@code core..} is one slice: the public API
     * types and their implementations in {@code core.internal} reference each other on purpose.
     */
    static ArchRule noCyclesBetweenTopLevelSlices(String root) {
        return slices().matching(root + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .because("the layers core <- spring <- actuate/autoconfigure <- demo point one way (DESIGN §4)");
    }

    /**
     * DESIGN §4's arrows, module by module: core <- spring <- actuate <- autoconfigure, with the demo,
     * the benchmarks and the starter-it application on top (the demo on everything but
     * autoconfigure, the benchmarks on the core alone, the application on the core and spring). Every
     * class must be in one of the layers, so that a new top-level package has to be placed here.
     */
    static ArchRule dependenciesPointOneWay(String root, String application) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy(root + ".core..")
                .layer("spring").definedBy(root + ".spring..")
                .layer("actuate").definedBy(root + ".actuate..")
                .layer("autoconfigure").definedBy(root + ".autoconfigure..")
                .layer("demo").definedBy(root + ".demo..")
                .layer("benchmarks").definedBy(root + ".bench..")
                .layer("application").definedBy(application + "..")
                .whereLayer("core").mayNotAccessAnyLayer()
                .whereLayer("spring").mayOnlyAccessLayers("core")
                .whereLayer("actuate").mayOnlyAccessLayers("core", "spring")
                .whereLayer("autoconfigure").mayOnlyAccessLayers("core", "spring", "actuate")
                .whereLayer("demo").mayOnlyAccessLayers("core", "spring", "actuate")
                .whereLayer("benchmarks").mayOnlyAccessLayers("core")
                .whereLayer("application").mayOnlyAccessLayers("core", "spring")
                .ensureAllClassesAreContainedInArchitecture()
                .because("dependencies point one way: core <- spring <- actuate <- autoconfigure; demo, benchmarks and"
                        + " applications on top (DESIGN §4)");
    }

    static ArchRule benchmarksDependOnlyOnTheJdkTheCoreAndJmh(String root) {
        return classes().that().resideInAPackage(root + ".bench..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".bench..", root + ".core..", JDK, "org.openjdk.jmh..")
                .because("the benchmarks measure the runtime alone: the JDK, the core and JMH (DESIGN §4)");
    }

    /**
     * The application on the starter sees what a user sees: the core's API and spring's user API,
     * nothing of {@code core.internal}, spring's internals ({@code spring.support}), {@code actuate}
     * or {@code autoconfigure}. Holds whether or not {@code spring.support} exists.
     */
    static ArchRule applicationUsesOnlyTheUserApi(String root, String application) {
        return noClasses().that().resideInAPackage(application + "..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        root + ".core.internal..", root + ".spring.support..", root + ".actuate..", root + ".autoconfigure..")
                .because("an application on the starter uses the user API only: the core, dev.taskloop.spring and its"
                        + " annotations; the rest is wiring (DESIGN §4)");
    }

    /**
     * Cycles between any two packages, but the core counts as one package: its public API and
     * {@code core.internal} (and {@code core.spi}'s snapshots) reference each other on purpose.
     */
    static ArchRule noCyclesBetweenPackagesOutsideTheCore(String root, String application) {
        String core = root + ".core";
        return slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String pkg = javaClass.getPackageName();
                if (pkg.equals(core) || pkg.startsWith(core + ".")) {
                    return SliceIdentifier.of(core + "..");
                }
                if (pkg.equals(root) || pkg.startsWith(root + ".") || pkg.equals(application) || pkg.startsWith(application + ".")) {
                    return SliceIdentifier.of(pkg);
                }
                return SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "every package of " + root + " and " + application + ", " + core + ".. as one";
            }
        }).should().beFreeOfCycles()
                .because("no package cycles (DESIGN §4)");
    }

    /** {@code Thread.sleep} (every overload, also as a method reference or inherited by a thread class) and {@code TimeUnit.sleep}. */
    private static final DescribedPredicate<JavaAccess<?>> SLEEPS = DescribedPredicate.describe("Thread.sleep or TimeUnit.sleep",
            access -> access.getName().equals("sleep")
                    && (access.getTargetOwner().isAssignableTo(Thread.class) || access.getTargetOwner().isAssignableTo(TimeUnit.class)));

    /**
     * Tests never sleep and hope (DESIGN §6). A deliberate blocker (a task that keeps the baton on
     * purpose) calls {@code dev.taskloop.core.testing.Blocking.sleep(Duration)}, the one helper for it,
     * which is main code of the core and so outside this rule's subject; waiting for another thread
     * or process goes through Awaitility (bounded, polling), a latch, or virtual time.
     */
    static ArchRule testsNeverSleep() {
        return noClasses().should().accessTargetWhere(SLEEPS)
                .because("tests never sleep and hope (DESIGN §6): a deliberate blocker calls"
                        + " dev.taskloop.core.testing.Blocking.sleep(Duration); polling another thread or process goes through Awaitility");
    }

    // ------------------------------------------------------------------ what is checked

    /** A module of the reactor: {@code src/<name>}, with its compiled classes if it has main or test sources. */
    record Module(String name, Optional<Path> classes, Optional<Path> testClasses) {
    }

    /** Every module's production classes in one import, and every module's test classes, each module on its own. */
    record Build(List<Module> modules, JavaClasses production, Map<String, JavaClasses> tests) {

        private static final ImportOption NOT_THE_FIXTURES = location -> !location.contains("/dev/taskloop/archfixture/");

        private static Build product;

        /** The build this test runs in, imported once. */
        static synchronized Build product() {
            if (product == null) {
                String root = System.getProperty("taskloop.root");
                if (root == null) {
                    throw new IllegalStateException("the system property taskloop.root (the repository's root) is not set: the root"
                            + " pom sets it for surefire and failsafe; run ./mvnw verify from the root");
                }
                product = load(Path.of(root).toAbsolutePath().normalize());
            }
            return product;
        }

        /** The modules {@code <root>/src/*} (each with a pom.xml), failing on any whose compiled classes are missing. */
        static List<Module> modules(Path root) {
            Path src = root.resolve("src");
            if (!Files.isDirectory(src)) {
                throw new IllegalStateException(src + " does not exist: taskloop.root must be the repository's root (it is " + root + ")");
            }
            try (Stream<Path> dirs = Files.list(src)) {
                List<Module> modules = dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted()
                        .map(d -> new Module(d.getFileName().toString(), compiled(root, d, "main", "classes"),
                                compiled(root, d, "test", "test-classes")))
                        .toList();
                if (modules.isEmpty()) {
                    throw new IllegalStateException("no module (a directory with a pom.xml) under " + src);
                }
                return modules;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Optional<Path> compiled(Path root, Path module, String sources, String output) {
            if (!Files.isDirectory(module.resolve("src").resolve(sources))) {
                return Optional.empty();
            }
            Path classes = module.resolve("target").resolve(output);
            if (!Files.isDirectory(classes)) {
                throw new IllegalStateException(root.relativize(classes) + " does not exist: ArchitectureTest checks the compiled "
                        + sources + " classes of every module under src/; run ./mvnw verify from the root (it builds every module"
                        + " before the demo module, which holds this test)");
            }
            return Optional.of(classes);
        }

        static Build load(Path root) {
            List<Module> modules = modules(root);
            JavaClasses production = new ClassFileImporter()
                    .importPaths(modules.stream().flatMap(m -> m.classes().stream()).toList());
            Map<String, JavaClasses> tests = new LinkedHashMap<>();
            for (Module m : modules) {
                m.testClasses().ifPresent(dir -> tests.put(m.name(),
                        new ClassFileImporter().withImportOption(NOT_THE_FIXTURES).importPath(dir)));
            }
            return new Build(modules, production, Map.copyOf(tests));
        }

        /** The production classes compiled into one module. */
        JavaClasses productionOf(String module) {
            Path dir = modules.stream().filter(m -> m.name().equals(module)).findFirst().flatMap(Module::classes).orElseThrow();
            String prefix = dir.toUri().toString();
            return production.that(DescribedPredicate.describe("from " + dir,
                    c -> c.getSource().map(s -> s.getUri().toString().startsWith(prefix)).orElse(false)));
        }
    }

    static Stream<String> modulesWithTests() {
        return Build.product().tests().keySet().stream().sorted();
    }

    // ------------------------------------------------------------------ on the product

    @Test
    void theImportHoldsTheProductionClassesOfEveryModuleAndNoTestClasses() {
        Build build = Build.product();
        assertThat(build.modules()).extracting(Module::name)
                .contains("taskloop-core", "taskloop-spring-boot", "benchmarks", "taskloop-starter-it", "taskloop-demo");
        build.modules().stream().filter(m -> m.classes().isPresent())
                .forEach(m -> assertThat(build.productionOf(m.name())).as("production classes of %s", m.name()).isNotEmpty());
        JavaClasses production = build.production();
        assertThat(production.contain(EventLoop.class)).isTrue();
        for (String pkg : List.of(ROOT + ".core.internal", ROOT + ".spring", ROOT + ".actuate", ROOT + ".autoconfigure", ROOT + ".demo",
                ROOT + ".bench", APPLICATION)) {
            assertThat(production.containPackage(pkg)).as(pkg).isTrue();
        }
        assertThat(production.contain(ArchitectureTest.class)).as("test classes imported").isFalse();
        assertThat(production.containPackage(ROOT + ".archfixture")).as("fixtures imported").isFalse();
    }

    @Test
    void theTestClassesOfEveryModuleAreImportedWithoutTheFixtures() {
        Build build = Build.product();
        assertThat(build.tests().keySet()).contains("taskloop-core", "taskloop-spring-boot", "taskloop-starter-it", "taskloop-demo");
        build.tests().forEach((module, tests) -> {
            assertThat(tests).as("test classes of %s", module).isNotEmpty();
            assertThat(tests.containPackage(ROOT + ".archfixture")).as("fixtures imported from %s", module).isFalse();
        });
        assertThat(build.tests().get("taskloop-demo").contain(ArchitectureTest.class)).isTrue();
        assertThat(build.tests().get("taskloop-demo").contain(EventLoop.class)).as("production classes imported").isFalse();
    }

    @Test
    void aModuleWhoseClassesAreMissingFailsTheImportNamingTheDirectoryAndWhatToRun(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("src/built/src/main/java"));
        Files.createDirectories(root.resolve("src/built/target/classes"));
        Files.writeString(root.resolve("src/built/pom.xml"), "<project/>");
        Files.createDirectories(root.resolve("src/pom-only"));
        Files.writeString(root.resolve("src/pom-only/pom.xml"), "<project/>");
        assertThat(Build.modules(root)).containsExactly(
                new Module("built", Optional.of(root.resolve("src/built/target/classes")), Optional.empty()),
                new Module("pom-only", Optional.empty(), Optional.empty()));

        Files.createDirectories(root.resolve("src/unbuilt/src/test/java"));
        Files.writeString(root.resolve("src/unbuilt/pom.xml"), "<project/>");
        assertThatThrownBy(() -> Build.modules(root)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(Path.of("src/unbuilt/target/test-classes") + " does not exist")
                .hasMessageContaining("run ./mvnw verify from the root");
    }

    @Test
    void theCoreImportsNothingFromSpringActuateAutoconfigureTheDemoSpringFrameworkOrMicrometer() {
        coreImportsNoIntegrationNorFramework(ROOT).check(Build.product().production());
    }

    @Test
    void theCoreDependsOnTheJdkOnly() {
        coreDependsOnlyOnTheJdk(ROOT).check(Build.product().production());
    }

    @Test
    void nothingOutsideTheCoreDependsOnCoreInternal() {
        nothingOutsideCoreDependsOnCoreInternal(ROOT).check(Build.product().production());
    }

    @Test
    void nothingOutsideAutoconfigureDependsOnAutoconfigure() {
        nothingOutsideAutoconfigureDependsOnAutoconfigure(ROOT).check(Build.product().production());
    }

    @Test
    void theTopLevelSlicesAreFreeOfCycles() {
        noCyclesBetweenTopLevelSlices(ROOT).check(Build.product().production());
    }

    @Test
    void dependenciesPointOneWayFromTheCoreThroughSpringAndActuateToAutoconfigureWithTheDemoBenchmarksAndApplicationOnTop() {
        dependenciesPointOneWay(ROOT, APPLICATION).check(Build.product().production());
    }

    @Test
    void theBenchmarksDependOnTheJdkTheCoreAndJmhOnly() {
        benchmarksDependOnlyOnTheJdkTheCoreAndJmh(ROOT).check(Build.product().production());
    }

    @Test
    void theApplicationOnTheStarterUsesOnlyTheUserApi() {
        applicationUsesOnlyTheUserApi(ROOT, APPLICATION).check(Build.product().production());
    }

    @Test
    void noTwoPackagesOutsideTheCoreDependOnEachOther() {
        noCyclesBetweenPackagesOutsideTheCore(ROOT, APPLICATION).check(Build.product().production());
    }

    @ParameterizedTest(name = "the tests of {0}")
    @MethodSource("modulesWithTests")
    void testsNeverSleepOnlyDeliberateBlockersBlockThroughBlockingSleep(String module) {
        testsNeverSleep().check(Build.product().tests().get(module));
    }

    // ------------------------------------------------------------------ on fixtures that break them

    @Nested
    class EachRuleCatchesItsViolation {

        private static final String FIXTURES = "dev.taskloop.archfixture";

        /** The class in front of a violation: {@code Method <a.b.C.m()> calls ...}, {@code Class <a.b.C> extends ...} give {@code a.b.C}. */
        private static final Pattern ORIGIN = Pattern.compile("^(?:Class <([\\w.$]+)>|\\S+ <([\\w.$]+?)\\.[\\w$<>]+[(>])");

        private static JavaClasses fixture(String name) {
            return new ClassFileImporter().importPackages(FIXTURES + "." + name);
        }

        private static List<String> violators(EvaluationResult result) {
            return violators(result.getFailureReport().getDetails());
        }

        private static List<String> violators(List<String> details) {
            return details.stream().map(line -> {
                Matcher m = ORIGIN.matcher(line);
                assertThat(m.find()).as("a dependency in front: %s", line).isTrue();
                return m.group(1) != null ? m.group(1) : m.group(2);
            }).distinct().sorted().toList();
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

        @Test
        void everyDependencyAgainstTheArrowsBreaksTheLayeringAndEveryOneAlongThemDoesNot() {
            String root = FIXTURES + ".layering";
            EvaluationResult result = dependenciesPointOneWay(root, root + ".example").evaluate(fixture("layering"));

            assertThat(result.hasViolation()).isTrue();
            List<String> details = result.getFailureReport().getDetails();
            List<String> dependencies = details.stream().filter(l -> !l.contains("is not contained in architecture")).toList();
            assertThat(details).as("a class in no layer").anySatisfy(l -> assertThat(l)
                    .contains(root + ".stray.Unplaced").contains("is not contained in architecture"));
            assertThat(violators(dependencies)).containsExactly(
                    root + ".actuate.ReachesUp", root + ".bench.UsesSpring", root + ".core.ReachesUp", root + ".demo.UsesAutoconfigure",
                    root + ".example.UsesActuate", root + ".spring.ReachesUp");
        }

        @Test
        void aBenchmarkReachingBeyondTheJdkAndTheCoreBreaksTheBenchmarkRule() {
            String root = FIXTURES + ".benchmarks";
            EvaluationResult result = benchmarksDependOnlyOnTheJdkTheCoreAndJmh(root).evaluate(fixture("benchmarks"));

            assertThat(result.hasViolation()).isTrue();
            assertThat(violators(result)).containsExactly(root + ".bench.ReachesOut");
            assertThat(String.join("\n", result.getFailureReport().getDetails()))
                    .contains(root + ".spring.Target", "org.springframework.util.StringUtils");
        }

        @Test
        void anApplicationUsingCoreInternalSpringSupportActuateOrAutoconfigureBreaksTheUserApiRule() {
            String root = FIXTURES + ".userapi";
            EvaluationResult result = applicationUsesOnlyTheUserApi(root, root + ".example").evaluate(fixture("userapi"));

            assertThat(result.hasViolation()).isTrue();
            assertThat(violators(result)).containsExactly(root + ".example.UsesInternals");
            assertThat(String.join("\n", result.getFailureReport().getDetails()))
                    .contains(root + ".core.internal.Impl", root + ".spring.support.Wiring", root + ".actuate.Endpoint",
                            root + ".autoconfigure.Config");
        }

        @Test
        void theUserApiRuleHoldsInALibraryWithoutSpringSupport() {
            String root = FIXTURES + ".nosupport";
            JavaClasses library = fixture("nosupport");

            assertThat(library.stream().map(JavaClass::getPackageName)).doesNotContain(root + ".spring.support")
                    .contains(root + ".example", root + ".spring");
            assertThat(applicationUsesOnlyTheUserApi(root, root + ".example").evaluate(library).getFailureReport().getDetails()).isEmpty();
        }

        @Test
        void twoSpringPackagesReferencingEachOtherBreakThePackageCycleRuleButTheCoreAndCoreInternalDoNot() {
            String root = FIXTURES + ".packagecycle";
            EvaluationResult result = noCyclesBetweenPackagesOutsideTheCore(root, root + ".example").evaluate(fixture("packagecycle"));

            assertThat(result.hasViolation()).isTrue();
            String details = String.join("\n", result.getFailureReport().getDetails());
            assertThat(details).contains(root + ".spring.Api", root + ".spring.support.PostProcessor")
                    .doesNotContain(root + ".core.");
            assertThat(noCyclesBetweenTopLevelSlices(root).evaluate(fixture("packagecycle")).hasViolation())
                    .as("a cycle inside one top-level slice is no top-level cycle").isFalse();
        }

        @Test
        void everyWayOfSleepingInATestBreaksTheSleepRuleButBlockingSleepDoesNot() {
            String root = FIXTURES + ".sleeping";
            EvaluationResult result = testsNeverSleep().evaluate(fixture("sleeping"));

            assertThat(result.hasViolation()).isTrue();
            List<String> details = result.getFailureReport().getDetails();
            assertThat(details).as(String.join("\n", details))
                    .anySatisfy(l -> assertThat(l).contains(".millis()", "java.lang.Thread.sleep(long)"))
                    .anySatisfy(l -> assertThat(l).contains(".millisAndNanos()", "java.lang.Thread.sleep(long, int)"))
                    .anySatisfy(l -> assertThat(l).contains(".duration()", "java.lang.Thread.sleep(java.time.Duration)"))
                    .anySatisfy(l -> assertThat(l).contains(".timeUnit()", "java.util.concurrent.TimeUnit.sleep(long)"))
                    .anySatisfy(l -> assertThat(l).contains(".reference()", "references method", "java.lang.Thread.sleep(long)"))
                    .anySatisfy(l -> assertThat(l).contains("SleepsAndHopes$Worker.pause()", "sleep(long)"))
                    .hasSize(6);
            assertThat(violators(result)).containsExactly(root + ".SleepsAndHopes", root + ".SleepsAndHopes$Worker");
        }
    }
}
