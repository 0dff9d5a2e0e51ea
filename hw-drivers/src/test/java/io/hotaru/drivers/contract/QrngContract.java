package io.hotaru.drivers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.Qrng;
import org.junit.jupiter.api.Test;

/** The contract of a {@link Qrng}. */
public abstract class QrngContract extends DeviceContract<Qrng> {

    @Override
    protected void operate(Qrng d) {
        d.nextBytes(new byte[1]);
    }

    @Test
    void successiveRequestsDiffer() {
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        device.nextBytes(a);
        device.nextBytes(b);
        assertThat(a).isNotEqualTo(b).isNotEqualTo(new byte[64]);
    }
}
