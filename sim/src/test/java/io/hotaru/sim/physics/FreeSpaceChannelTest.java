package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FreeSpaceChannelTest {

    static final FreeSpaceChannel OPTICS = new FreeSpaceChannel(850, 0.3, 1.0, 10e-6, 0.8, 1e-6, 3, 50, 5000, 2);

    @Test
    void geometricLossFollowsTheSpotSize() {
        // D_R / (D_T + L·θ) = 1 / (0.3 + 10) at 1000 km.
        assertThat(OPTICS.geometricTransmittance(1e6)).isCloseTo(1 / (10.3 * 10.3), within(1e-12));
        assertThat(OPTICS.geometricTransmittance(1)).isEqualTo(1);
    }

    @Test
    void atmosphereThickensTowardsTheHorizon() {
        assertThat(OPTICS.atmosphericTransmittance(90)).isCloseTo(0.8, within(1e-3));
        assertThat(OPTICS.atmosphericTransmittance(10)).isLessThan(OPTICS.atmosphericTransmittance(30));
        assertThat(OPTICS.atmosphericTransmittance(-1)).isZero();
        assertThat(FreeSpaceChannel.airMass(90)).isCloseTo(1, within(1e-3));
    }

    @Test
    void daylightRaisesTheBackground() {
        assertThat(OPTICS.backgroundProbability(true)).isGreaterThan(50 * OPTICS.backgroundProbability(false));
    }

    @Test
    void aSyntheticPassRisesCulminatesAndSets() {
        PassGeometry g = PassGeometry.synthetic(500, 70, 10, 1);
        int n = g.sampleCount();
        assertThat(g.elevationDegAt(0)).isCloseTo(10, within(0.1));
        assertThat(g.elevationDegAt(n - 1)).isCloseTo(10, within(0.1));
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, g.elevationDegAt(i));
        }
        assertThat(max).isCloseTo(70, within(0.1));
        assertThat(g.durationSeconds()).isBetween(300.0, 700.0);
        PassChannel c = new PassChannel(OPTICS, g, false);
        assertThat(c.transmittanceAt(g.durationSeconds() / 2)).isGreaterThan(c.transmittanceAt(5));
        assertThat(c.transmittanceAt(-1)).isZero();
    }
}
