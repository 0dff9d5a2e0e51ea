package io.hotaru.drivers.qutag;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.reliability.figures.ReliabilityFigures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class QutagDecoderTest {
    /** Words decoded by the fuzz test: 1.1·10⁶ by default, more under the reliability profiles. */
    static final int WORDS = ReliabilityFigures.count("hotaru.fuzz.decoder-words", 1_100_000);

    @Test
    void inputsOneToFourBecomeChannelsZeroToThreeInPicoseconds() {
        QutagDecoder d = new QutagDecoder(1.0);
        long[] t = {10, 20, 30, 40, 50, 45};
        byte[] c = {1, 0, 4, (byte) 104, 2, 3};
        long[] ps = new long[6];
        byte[] ch = new byte[6];
        assertThat(d.decode(t, c, 6, ps, ch)).isEqualTo(3);
        assertThat(ps).startsWith(10, 30, 50);
        assertThat(ch).startsWith(0, 3, 1);
        assertThat(d.other()).isEqualTo(2);
        assertThat(d.anomalies()).isEqualTo(1);
    }

    @Test
    @Tag("reliability")
    void fuzzedArraysNeverThrowAndEveryEventIsAccountedFor() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        QutagDecoder d = new QutagDecoder(random.nextDouble(0.1, 100));
        int n = 1 << 16;
        long[] t = new long[n];
        byte[] c = new byte[n];
        long[] ps = new long[n];
        byte[] ch = new byte[n];
        long total = 0;
        while (total < WORDS) {
            for (int i = 0; i < n; i++) {
                t[i] = random.nextBoolean() ? random.nextLong() : total * 1000 + i * 7L;
                c[i] = (byte) random.nextInt(256);
            }
            d.decode(t, c, n, ps, ch);
            total += n;
        }
        assertThat(d.events() + d.other() + d.anomalies()).as("seed %d", seed).isEqualTo(total);
        assertThat(d.anomalies()).as("seed %d", seed).isPositive();
        ReliabilityFigures.record("fuzz_executions", "qutag-decoder", total);
    }
}
