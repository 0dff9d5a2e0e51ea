package io.hotaru.reliability.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResidueScanTest {
    private static final byte[] CANARY = new byte[64];

    static {
        new Random(7).nextBytes(CANARY);
    }

    private static byte[] around(byte[] middle) {
        byte[] out = new byte[200 + middle.length];
        Arrays.fill(out, (byte) ' ');
        System.arraycopy(middle, 0, out, 100, middle.length);
        return out;
    }

    @Test
    void findsRawSlicesAndTheTextOfEveryUnit() {
        ResidueScan scan = new ResidueScan(CANARY, 32);
        assertThat(scan.find(around(Arrays.copyOfRange(CANARY, 13, 21)))).startsWith("raw canary bytes");
        byte[] second = Arrays.copyOfRange(CANARY, 32, 64);
        assertThat(scan.find(around(Base64.getEncoder().encode(second)))).startsWith("Base64 of canary unit 1");
        assertThat(scan.find(around(HexFormat.of().formatHex(second).getBytes(StandardCharsets.US_ASCII))))
                .startsWith("hex of canary unit 1");
    }

    @Test
    void findsNothingInOtherBytesOrInSevenBytesOfTheCanary() {
        ResidueScan scan = new ResidueScan(CANARY, 32);
        byte[] other = new byte[4096];
        new Random(8).nextBytes(other);
        assertThat(scan.find(other)).isEmpty();
        assertThat(scan.find(around(Arrays.copyOfRange(CANARY, 0, 7)))).isEmpty();
        assertThat(scan.find(new byte[0])).isEmpty();
    }
}
