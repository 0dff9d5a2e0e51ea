package io.hotaru.sim.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.DeviceUri;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SimQrngTest {

    private static byte[] bytes(String uri, int... sizes) {
        SimQrng q = new SimQrng(DeviceUri.parse(uri));
        byte[] all = new byte[Arrays.stream(sizes).sum()];
        int at = 0;
        for (int size : sizes) {
            byte[] part = new byte[size];
            q.nextBytes(part);
            System.arraycopy(part, 0, all, at, size);
            at += size;
        }
        return all;
    }

    @Test
    void sameSeedSameBytesHoweverTheyAreRequested() {
        assertThat(bytes("sim:qrng?seed=7", 1, 7, 13, 64, 3)).isEqualTo(bytes("sim:qrng?seed=7", 88));
    }

    @Test
    void otherSeedOtherBytes() {
        assertThat(bytes("sim:qrng?seed=8", 64)).isNotEqualTo(bytes("sim:qrng?seed=7", 64));
    }

    @Test
    void bytesAreBalanced() {
        byte[] b = bytes("sim:qrng?seed=7", 1 << 16);
        long ones = 0;
        for (byte x : b) {
            ones += Integer.bitCount(x & 0xFF);
        }
        double bits = 8.0 * b.length;
        assertThat(Math.abs(ones - bits / 2)).isLessThan(4 * Math.sqrt(bits / 4));
    }
}
