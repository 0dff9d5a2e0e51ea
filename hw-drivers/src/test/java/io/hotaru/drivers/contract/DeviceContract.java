package io.hotaru.drivers.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.drivers.Device;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every device of every binding must do, whatever its role. A binding's test extends the
 * role's contract (e.g. {@link QrngContract}) and says how to open a healthy device.
 */
public abstract class DeviceContract<T extends Device> {

    protected T device;

    /** Opens a fresh, healthy device of the role under test. */
    protected abstract T open();

    /** A role operation that must fail with {@code CLOSED} once the device is closed. */
    protected abstract void operate(T device);

    @BeforeEach
    void openDevice() {
        device = open();
    }

    @AfterEach
    void closeDevice() {
        device.close();
    }

    @Test
    void identityNamesTheDevice() {
        assertThat(device.identity().vendor()).isNotBlank();
        assertThat(device.identity().model()).isNotBlank();
        assertThat(device.identity().uri()).isNotBlank();
    }

    @Test
    void aHealthyDevicePassesItsSelfTestAndReportsItsHealth() {
        assertThat(device.selfTest().passed()).as(device.selfTest().detail()).isTrue();
        DeviceHealth h = device.health();
        assertThat(h.state()).as(h.detail()).isEqualTo(DeviceHealth.State.OK);
    }

    @Test
    void aClosedDeviceRefusesWorkFailsItsSelfTestAndClosesAgain() {
        device.close();
        device.close();
        assertThat(device.selfTest().passed()).isFalse();
        assertThat(device.health().state()).isNotEqualTo(DeviceHealth.State.OK);
        assertThatThrownBy(() -> operate(device))
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.code()).isEqualTo(DeviceException.Code.CLOSED));
    }
}
