package io.ventiapi.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays a plain library with layers that only depend downwards. */
class ArchitectureTest {

    private final JavaClasses engine = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ventiapi.engine");

    @Test
    void usesNoSpring() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .check(engine);
    }

    @Test
    void onlyTheCliDependsOnTheCli() {
        noClasses()
                .that()
                .resideOutsideOfPackage("..cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..cli..")
                .check(engine);
    }

    @Test
    void checksDoNotDependOnReports() {
        noClasses()
                .that()
                .resideInAPackage("..check..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..report..")
                .check(engine);
    }

    @Test
    void specPlanSynthAndHttpKnowNothingOfChecks() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "..engine.spec..",
                        "..engine.plan..",
                        "..engine.synth..",
                        "..engine.http..",
                        "..engine.identity..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..engine.check..", "..engine.report..")
                .check(engine);
    }
}
