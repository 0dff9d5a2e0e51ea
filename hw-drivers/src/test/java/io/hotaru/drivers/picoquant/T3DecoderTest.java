package io.hotaru.drivers.picoquant;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.reliability.figures.ReliabilityFigures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class T3DecoderTest {
    /** Words decoded by the fuzz test: 1.1·10⁶ by default, more under the reliability profiles. */
    static final int WORDS = ReliabilityFigures.count("hotaru.fuzz.decoder-words", 1_100_000);

    private static int photon(int channel, int dtime, int nsync) {
        return (channel << 25) | (dtime << 10) | nsync;
    }

    @Test
    void timeIsOverflowsAndSyncsTimesThePeriodPlusDtime() {
        T3Decoder d = new T3Decoder(12_500.0, 25.0, 4);
        int[] words = {photon(1, 100, 3), 0x80000000 | (63 << 25) | 2, photon(2, 4, 1), 0x80000000 | (63 << 25)};
        long[] ps = new long[4];
        byte[] ch = new byte[4];
        assertThat(d.decode(words, 4, ps, ch)).isEqualTo(2);
        assertThat(ps[0]).isEqualTo(3 * 12_500 + 100 * 25);
        assertThat(ps[1]).isEqualTo((2 * 1024 + 1) * 12_500L + 4 * 25);
        assertThat(d.overflows()).isEqualTo(3);
    }

    @Test
    @Tag("reliability")
    void fuzzedWordsNeverThrowAndAnomaliesAreCounted() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        T3Decoder d = new T3Decoder(1000 + random.nextInt(100_000), 1 + random.nextInt(100), 1 + random.nextInt(64));
        int[] words = new int[1 << 16];
        long[] ps = new long[words.length];
        byte[] ch = new byte[words.length];
        long total = 0;
        long last = Long.MIN_VALUE;
        while (total < WORDS) {
            for (int i = 0; i < words.length; i++) {
                words[i] = random.nextInt();
            }
            int n = d.decode(words, words.length, ps, ch);
            for (int i = 0; i < n; i++) {
                assertThat(ps[i]).as("seed %d", seed).isGreaterThanOrEqualTo(last);
                last = ps[i];
            }
            total += words.length;
        }
        assertThat(d.photons() + d.anomalies()).as("seed %d", seed).isPositive();
        assertThat(d.anomalies()).as("seed %d", seed).isPositive();
        ReliabilityFigures.record("fuzz_executions", "t3-decoder", total);
    }
}
