package io.hotaru.drivers.quantis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.jna.StandIn;
import io.hotaru.drivers.jna.StandInFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QuantisFaultTest {

    private static final int USB = QuantisLibrary.QUANTIS_DEVICE_USB;
    private QuantisQrng qrng;

    @BeforeEach
    void open() {
        qrng = (QuantisQrng)
                new QuantisDriverProvider().open(DeviceUri.parse("quantis:usb:0?standin=true"), Qrng.class);
    }

    @AfterEach
    void close() {
        StandIn.inject(QuantisDriverProvider.LIBRARY, USB, StandInFault.CLEAR, 0);
        qrng.close();
    }

    @Test
    void unpluggedIsNotConnected() {
        StandIn.inject(QuantisDriverProvider.LIBRARY, USB, StandInFault.UNPLUGGED, 0);
        assertThatThrownBy(() -> qrng.nextBytes(new byte[64]))
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.code()).isEqualTo(DeviceException.Code.NOT_CONNECTED));
        assertThat(qrng.health().state()).isEqualTo(DeviceHealth.State.FAILED);
        assertThat(qrng.acquisitionStats().vendorErrors()).isPositive();
    }

    @Test
    void aFailedModuleRefusesToDeliver() {
        StandIn.inject(QuantisDriverProvider.LIBRARY, USB, StandInFault.MODULE_FAILED, 0);
        assertThatThrownBy(() -> qrng.nextBytes(new byte[64])).hasMessageContaining("module status");
        assertThat(qrng.health().state()).isEqualTo(DeviceHealth.State.FAILED);
        assertThat(qrng.selfTest().passed()).isFalse();
    }

    @Test
    void shortReadsAreCountedAndTheRequestStillFilled() {
        StandIn.inject(QuantisDriverProvider.LIBRARY, USB, StandInFault.SHORT_READ, 10);
        byte[] out = new byte[4096];
        qrng.nextBytes(out);
        assertThat(out).isNotEqualTo(new byte[4096]);
        assertThat(qrng.acquisitionStats().deviceLossReports()).isEqualTo(1);
        assertThat(qrng.acquisitionStats().recordsRead()).isEqualTo(4096);
    }

    @Test
    void anAis31RequestRunsTheStartUpTestsBeforeDelivering() {
        StandIn.inject(QuantisDriverProvider.LIBRARY, USB, StandInFault.AIS31_REQUEST, 0);
        qrng.nextBytes(new byte[64]);
        qrng.nextBytes(new byte[64]);
        assertThat(qrng.startupTestRuns()).isEqualTo(1);
    }
}
