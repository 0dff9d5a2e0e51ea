package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StokesRotationTest {

    private static double[] apply(StokesRotation r, double... s) {
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[i] += r.element(i, j) * s[j];
            }
        }
        return out;
    }

    @Test
    void aHalfWavePlateAt22Point5DegreesTurnsHorizontalIntoDiagonal() {
        double[] s = apply(StokesRotation.waveplate(Math.toRadians(22.5), Math.PI), 1, 0, 0);
        assertThat(s).containsExactly(new double[] {0, 1, 0}, within(1e-12));
    }

    @Test
    void aQuarterWavePlateAt45DegreesTurnsHorizontalIntoCircular() {
        double[] s = apply(StokesRotation.waveplate(Math.toRadians(45), Math.PI / 2), 1, 0, 0);
        assertThat(Math.abs(s[2])).isCloseTo(1, within(1e-12));
        assertThat(s[0]).isCloseTo(0, within(1e-12));
    }

    @Test
    void aRotationAboutTheDiagonalAxisLeavesXAloneAndMisalignsZ() {
        StokesRotation r = StokesRotation.about(0, 1, 0, Math.toRadians(30));
        assertThat(r.errorProbability(1)).isCloseTo(0, within(1e-12));
        assertThat(r.errorProbability(0)).isCloseTo((1 - Math.cos(Math.toRadians(30))) / 2, within(1e-12));
        assertThat(Math.toDegrees(r.angleRad())).isCloseTo(30, within(1e-9));
    }

    @Test
    void productsComposeAndOrthonormalisingKeepsTheRotation() {
        StokesRotation a = StokesRotation.about(1, 2, 3, 0.4);
        StokesRotation back = StokesRotation.about(1, 2, 3, -0.4);
        assertThat(back.after(a).angleRad()).isCloseTo(0, within(1e-7));
        StokesRotation o = a.orthonormalised();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(o.element(i, j)).isCloseTo(a.element(i, j), within(1e-12));
            }
        }
    }
}
