package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PolarisationDriftTest {

    @Test
    void turnsAtItsSpeedOverShortTimes() {
        PolarisationDrift drift = new PolarisationDrift(42, 10); // 10°/s
        double deg =
                Math.toDegrees(drift.rotationAt(PolarisationDrift.stepAt(0.1)).angleRad());
        // 1°, less a little because the axis wanders (correlation time 10 s)
        assertThat(deg).isBetween(0.95, 1.0 + 1e-9);
    }

    @Test
    void wandersFarOverLongTimesAndIsAPureFunctionOfKeyAndStep() {
        PolarisationDrift a = new PolarisationDrift(42, 1);
        PolarisationDrift b = new PolarisationDrift(42, 1);
        StokesRotation mid = a.rotationAt(100_000);
        StokesRotation late = a.rotationAt(600_000); // 600 s at 1°/s
        assertThat(Math.toDegrees(late.angleRad())).isGreaterThan(20);
        StokesRotation again = b.rotationAt(600_000);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(again.element(i, j)).isEqualTo(late.element(i, j));
            }
        }
        assertThat(mid.angleRad()).isNotEqualTo(late.angleRad());
        assertThat(new PolarisationDrift(43, 1).rotationAt(600_000).element(0, 0))
                .isNotCloseTo(late.element(0, 0), within(1e-6));
    }

    @Test
    void standsStillAtZeroSpeedAndRefusesToGoBack() {
        PolarisationDrift still = new PolarisationDrift(42, 0);
        assertThat(still.rotationAt(10_000).angleRad()).isZero();
        assertThatThrownBy(() -> still.rotationAt(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolarisationDrift(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
