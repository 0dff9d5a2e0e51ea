package io.hotaru.sim.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.sim.physics.LinkParameters;
import io.hotaru.sim.physics.ParameterSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterSetsTest {

    @Test
    void builtInSetsLoadAndGysAndDemoMatchTheirCodeTwins() {
        for (String name : ParameterSets.NAMES) {
            assertThat(ParameterSets.load(name).name()).isEqualTo(name);
        }
        assertThat(ParameterSets.load("gys").link()).isEqualTo(LinkParameters.gys());
        assertThat(ParameterSets.load("demo").link()).isEqualTo(LinkParameters.demo());
    }

    /** The Micius-like optics give the [recalled] 22 dB at 645 km and 35 dB at 1200 km, within 1 dB. */
    @Test
    void miciusLossFollowsTheRecalledFigures() {
        ParameterSet m = ParameterSets.load("micius");
        double etaBob = m.link().detectorEfficiency();
        double at645 = m.freeSpace().lossDb(645e3, 49.0) - 10 * Math.log10(etaBob);
        double at1200 = m.freeSpace().lossDb(1200e3, 19.8) - 10 * Math.log10(etaBob);
        assertThat(at645).isCloseTo(22, within(1.0));
        assertThat(at1200).isCloseTo(35, within(1.0));
    }

    @Test
    void aUserFileLoadsByPath(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mine.yaml");
        String gys =
                new String(ParameterSets.class.getResourceAsStream("gys.yaml").readAllBytes());
        Files.writeString(f, gys.replace("length_km: 50", "length_km: 80").replace("name: gys", "name: mine"));
        ParameterSet s = ParameterSets.load(f.toString());
        assertThat(s.name()).isEqualTo("mine");
        assertThat(s.link().lengthKm()).isEqualTo(80);
    }

    /** Bob's passive splitter follows the source's p_Z unless the set gives the detector its own. */
    @Test
    void receiverBasisSplitFollowsTheSetUnlessTheDetectorNamesItsOwn() throws Exception {
        assertThat(ParameterSets.load("metro").link().receiverZBasisProbability())
                .isEqualTo(0.3);
        assertThat(ParameterSets.load("gys").link().receiverZBasisProbability()).isEqualTo(0.5);
        String metro =
                new String(ParameterSets.class.getResourceAsStream("metro.yaml").readAllBytes());
        String own =
                metro.replace("  misalignment_error: 0.033", "  misalignment_error: 0.033\n  z_basis_probability: 0.5");
        assertThat(ParameterSets.parse("own.yaml", own).link().receiverZBasisProbability())
                .isEqualTo(0.5);
        assertThat(ParameterSets.parse("own.yaml", own).link().zBasisProbability())
                .isEqualTo(0.3);
        assertThatThrownBy(() -> ParameterSets.parse(
                        "bad.yaml", own.replace("z_basis_probability: 0.5", "z_basis_probability: 1")))
                .hasMessageContaining("detector.z_basis_probability: must be strictly between 0 and 1");
    }

    @Test
    void badInputNamesFileFieldAndLine() throws Exception {
        String gys =
                new String(ParameterSets.class.getResourceAsStream("gys.yaml").readAllBytes());
        assertThatThrownBy(() -> ParameterSets.parse("bad.yaml", gys.replace("efficiency: 0.045", "efficiency: 1.5")))
                .isInstanceOfSatisfying(ParameterSetException.class, e -> {
                    assertThat(e.field()).isEqualTo("detector.efficiency");
                    assertThat(e.line()).isEqualTo(16);
                })
                .hasMessageStartingWith("bad.yaml:16: detector.efficiency: must be a probability in [0, 1]");
        assertThatThrownBy(() -> ParameterSets.parse(
                        "bad.yaml", gys.replace("attenuation_db_per_km: 0.21", "attenuation_db_per_km: -1")))
                .hasMessageContaining("fibre.attenuation_db_per_km: must be >= 0");
        assertThatThrownBy(() -> ParameterSets.parse("bad.yaml", gys.replace("length_km: 50", "lenght_km: 50")))
                .hasMessageContaining("bad.yaml:13: fibre.lenght_km: unknown key");
        assertThatThrownBy(() -> ParameterSets.load("nope"))
                .hasMessageContaining("nope: unknown parameter set (known: demo, metro, gys, fibre-1ghz, micius");
        assertThatThrownBy(() -> ParameterSets.parse("bad.yaml", "source: [1, 2\n"))
                .hasMessageStartingWith("bad.yaml:");
    }
}
