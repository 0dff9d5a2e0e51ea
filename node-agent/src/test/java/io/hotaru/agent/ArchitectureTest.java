package io.hotaru.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package rules of STYLE.md: dependencies point one way (node-agent -> key-manager,
 * hw-drivers, sim; sim -> hw-drivers; key-manager depends on no other module of ours), and the
 * algorithm packages are pure: bits in, bits out, no I/O, network, Netty, logging or clocks.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProduction() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hotaru");
    }

    @Test
    void importsEveryModule() {
        for (String pkg : new String[] {"io.hotaru.drivers", "io.hotaru.sim", "io.hotaru.keys", "io.hotaru.agent"}) {
            org.assertj.core.api.Assertions.assertThat(
                            classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
                    .as("classes of %s were imported", pkg)
                    .isTrue();
        }
    }

    @Test
    void keyManagerDependsOnNoOtherModule() {
        check(noClasses()
                .that()
                .resideInAPackage("io.hotaru.keys..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.hotaru.agent..", "io.hotaru.sim..", "io.hotaru.drivers.."));
    }

    @Test
    void simulatorDependsOnlyOnTheDeviceSpi() {
        check(noClasses()
                .that()
                .resideInAPackage("io.hotaru.sim..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.hotaru.agent..", "io.hotaru.keys.."));
    }

    @Test
    void driversDependOnNoOtherModule() {
        check(noClasses()
                .that()
                .resideInAPackage("io.hotaru.drivers..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.hotaru.agent..", "io.hotaru.keys..", "io.hotaru.sim.."));
    }

    @Test
    void deviceSpiUsesNoBindingTypes() {
        check(noClasses()
                .that()
                .resideInAPackage("io.hotaru.drivers")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.sun.jna..", "io.netty..", "org.eclipse.paho.."));
    }

    @Test
    void algorithmPackagesArePure() {
        check(noClasses()
                .that()
                .resideInAnyPackage("io.hotaru.keys.distill..", "io.hotaru.sim.physics..", "io.hotaru.sim.orbit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.io..",
                        "java.nio.file..",
                        "java.nio.channels..",
                        "java.net..",
                        "io.netty..",
                        "org.slf4j..",
                        "ch.qos.logback..",
                        "java.util.logging..",
                        "org.eclipse.paho..",
                        "java.sql..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.time.Clock")
                .orShould()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(System.class, "currentTimeMillis"));
    }

    private static void check(ArchRule rule) {
        rule.allowEmptyShould(true).check(classes);
    }
}
