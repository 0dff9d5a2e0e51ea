package io.hotaru.drivers.quantis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.contract.QrngContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The QrngContract against real hardware; run with {@code -Phardware}, skipped without the vendor library. */
@Tag("hardware")
class QuantisHardwareTest extends QrngContract {

    private static final String URI = System.getProperty("hotaru.hardware.quantis.uri", "quantis:usb:0");

    @BeforeAll
    static void requireVendorLibrary() {
        var availability = new QuantisDriverProvider().availability();
        assumeTrue(availability.available(), availability.detail());
    }

    @Override
    protected Qrng open() {
        return new QuantisDriverProvider().open(DeviceUri.parse(URI), Qrng.class);
    }
}
