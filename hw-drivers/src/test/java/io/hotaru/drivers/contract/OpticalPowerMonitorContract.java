package io.hotaru.drivers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.OpticalPowerMonitor;
import org.junit.jupiter.api.Test;

/** The contract of an {@link OpticalPowerMonitor}. */
public abstract class OpticalPowerMonitorContract extends DeviceContract<OpticalPowerMonitor> {

    @Override
    protected void operate(OpticalPowerMonitor d) {
        d.read();
    }

    @Test
    void readingsAreNonNegativeWithAPositiveNoiseFloor() {
        assertThat(device.noiseFloorW()).isPositive();
        for (int i = 0; i < 10; i++) {
            assertThat(device.read().watts()).isNotNegative();
        }
    }
}
