package io.hotaru.drivers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.ClockReference;
import org.junit.jupiter.api.Test;

/** The contract of a {@link ClockReference}. */
public abstract class ClockReferenceContract extends DeviceContract<ClockReference> {

    @Override
    protected void operate(ClockReference d) {
        d.status();
    }

    @Test
    void aHealthyClockIsLocked() {
        assertThat(device.status().locked()).isTrue();
        assertThat(device.status().frequencyHz()).isPositive();
        assertThat(device.status().source()).isNotBlank();
    }
}
