package io.hotaru.sim.orbit;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.orekit.annotation.DefaultDataContext;
import org.orekit.data.DataContext;

/**
 * The orbit package is pure (STYLE.md, docs/architecture.md): no I/O, network, logging or clocks,
 * and no use of Orekit's default data context, which would look for orekit-data files.
 */
class OrbitPurityTest {

    private static final JavaClasses ORBIT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hotaru.sim.orbit");

    @Test
    void importsNoIoNetworkLoggingOrClock() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.io..",
                        "java.nio.file..",
                        "java.nio.channels..",
                        "java.net..",
                        "java.sql..",
                        "java.util.logging..",
                        "org.slf4j..",
                        "ch.qos.logback..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.time.Clock")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.time.Instant")
                .orShould()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .check(ORBIT);
    }

    @Test
    void usesNoDefaultOrekitDataContext() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(DataContext.class)
                .orShould()
                .accessTargetWhere(describe(
                        "is annotated with @DefaultDataContext",
                        access -> access.getTarget().isAnnotatedWith(DefaultDataContext.class)))
                .check(ORBIT);
    }
}
