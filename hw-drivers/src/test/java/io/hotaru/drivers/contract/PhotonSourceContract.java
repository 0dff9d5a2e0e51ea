package io.hotaru.drivers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.SourceSettings;
import org.junit.jupiter.api.Test;

/** The contract of a {@link PhotonSource}. */
public abstract class PhotonSourceContract extends DeviceContract<PhotonSource> {

    @Override
    protected void operate(PhotonSource d) {
        d.statesFor(new long[] {0}, 1, new byte[1], new byte[1], new byte[1]);
    }

    @Test
    void statesAreInRangeAndRepeatable() {
        SourceSettings s = device.settings();
        device.start();
        long[] slots = {0, 1, 2, 1000, 1_000_000};
        byte[] level = new byte[5];
        byte[] basis = new byte[5];
        byte[] bit = new byte[5];
        device.statesFor(slots, 5, level, basis, bit);
        byte[] level2 = new byte[5];
        device.statesFor(slots, 5, level2, new byte[5], new byte[5]);
        assertThat(level2).isEqualTo(level);
        for (int i = 0; i < 5; i++) {
            assertThat(level[i]).isBetween((byte) 0, (byte) (s.intensities().length - 1));
            assertThat(basis[i]).isBetween((byte) 0, (byte) 1);
            assertThat(bit[i]).isBetween((byte) 0, (byte) 1);
        }
        device.stop();
    }
}
