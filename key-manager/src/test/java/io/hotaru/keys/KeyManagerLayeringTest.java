package io.hotaru.keys;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The algorithms and the authentication layer know nothing of the network that carries them. */
@AnalyzeClasses(packages = "io.hotaru.keys", importOptions = ImportOption.DoNotIncludeTests.class)
class KeyManagerLayeringTest {
    @ArchTest
    static final ArchRule distillationDoesNotUseThePeerNetwork = noClasses()
            .that()
            .resideInAPackage("io.hotaru.keys.distill..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.hotaru.keys.peer..", "io.netty..");

    @ArchTest
    static final ArchRule onlyTheNetworkPackagesUseNetty = noClasses()
            .that()
            .resideOutsideOfPackages(
                    "io.hotaru.keys.net..",
                    "io.hotaru.keys.peer..",
                    "io.hotaru.keys.etsi014..",
                    "io.hotaru.keys.pki..",
                    "io.hotaru.keys.relay.net..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.netty..");
}
