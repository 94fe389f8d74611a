package dev.workflowhttp.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layers point one way, as the README's "Architecture" section draws them: each package uses only the ones below
 * it, and no package imports one that imports it back.
 */
class LayersTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.workflowhttp");

    @Test
    void noPackageImportsOneThatImportsItBack() {
        slices().matching("dev.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("api")
                .definedBy("dev.workflowhttp")
                .layer("util")
                .definedBy("dev.workflowhttp.internal.util")
                .layer("net")
                .definedBy("dev.workflowhttp.internal.net")
                .layer("scope")
                .definedBy("dev.workflowhttp.internal.scope")
                .layer("http")
                .definedBy("dev.workflowhttp.internal.http")
                .layer("limit")
                .definedBy("dev.workflowhttp.internal.limit")
                .layer("component")
                .definedBy("dev.workflowhttp.component")
                .layer("app")
                .definedBy("dev.workflowhttp.app")
                .whereLayer("app")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("component")
                .mayOnlyBeAccessedByLayers("app")
                .whereLayer("http")
                .mayOnlyBeAccessedByLayers("component")
                .whereLayer("limit")
                .mayOnlyBeAccessedByLayers("component")
                .whereLayer("scope")
                .mayOnlyBeAccessedByLayers("http", "limit", "component")
                .whereLayer("net")
                .mayOnlyBeAccessedByLayers("scope", "http", "limit", "component")
                .whereLayer("util")
                .mayOnlyBeAccessedByLayers("net", "scope", "http", "limit", "component", "app")
                .whereLayer("api")
                .mayOnlyBeAccessedByLayers("util", "net", "scope", "http", "limit", "component", "app")
                .check(MAIN);
    }

    /** A user reads the public package alone: no class of it, and no type in its signatures, is internal. */
    @Test
    void thePublicPackageDependsOnNoInternalPackage() {
        noClasses()
                .that()
                .resideInAPackage("dev.workflowhttp")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.workflowhttp.internal..")
                .check(MAIN);
    }

    @Test
    void theComponentDoesNotDependOnTheApplication() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.workflowhttp.app..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.workflowhttp.app..",
                        "org.apache.activemq..",
                        "org.quartz..",
                        "io.vertx..",
                        "org.apache.logging.log4j..",
                        "org.springframework..")
                .check(MAIN);
    }
}
