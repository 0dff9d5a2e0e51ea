package io.hotaru.drivers.picoquant;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.drivers.contract.TimeTaggerContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The TimeTaggerContract against real hardware; run with {@code -Phardware}, skipped without the vendor library. */
@Tag("hardware")
class MultiHarpHardwareTest extends TimeTaggerContract {

    private static final String URI = System.getProperty("hotaru.hardware.multiharp.uri", "multiharp:0?mode=t2");

    @BeforeAll
    static void requireVendorLibrary() {
        var availability = new MultiHarpDriverProvider().availability();
        assumeTrue(availability.available(), availability.detail());
    }

    @Override
    protected TimeTagger open() {
        return new MultiHarpDriverProvider().open(DeviceUri.parse(URI), TimeTagger.class);
    }

    @Override
    protected void letTimePass() {
        try {
            Thread.sleep(100); // real hardware: wait for real events
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
