package io.hotaru.sim.physics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The physics is pure: bits and numbers in, bits and numbers out. */
class PhysicsPurityTest {

    private static final JavaClasses PHYSICS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hotaru.sim.physics");

    @Test
    void noIoClocksLoggingOrHiddenRandomness() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.io..",
                        "java.nio..",
                        "java.net..",
                        "java.time..",
                        "java.util.logging..",
                        "java.util.concurrent..",
                        "org.slf4j..",
                        "java.lang.reflect..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.util.Random")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.lang.System")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.lang.Thread")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.lang.Runtime")
                .because("physics takes no input but its arguments (STYLE.md: algorithm packages import no I/O, clock"
                        + " or logging)")
                .check(PHYSICS);
    }

    @Test
    void physicsDoesNotKnowTheDeviceLayer() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.hotaru.drivers..", "io.hotaru.sim.devices..")
                .check(PHYSICS);
    }
}
