package io.hotaru.drivers.picoquant;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.reliability.figures.ReliabilityFigures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class T2DecoderTest {
    /** Words decoded by the fuzz test: 1.1·10⁶ by default, more under the reliability profiles. */
    static final int WORDS = ReliabilityFigures.count("hotaru.fuzz.decoder-words", 1_100_000);

    private static int photon(int channel, int tag) {
        return (channel << 25) | tag;
    }

    private static int special(int channel, int tag) {
        return 0x80000000 | (channel << 25) | tag;
    }

    @Test
    void overflowRecordsCarryTheirCountAndZeroMeansOne() {
        T2Decoder d = new T2Decoder(5.0, 4);
        int[] words = {
            photon(0, 7), special(63, 3), photon(1, 5), special(63, 0), special(0, 9), special(2, 1), photon(3, 1)
        };
        long[] ps = new long[words.length];
        byte[] ch = new byte[words.length];
        assertThat(d.decode(words, words.length, ps, ch)).isEqualTo(3);
        assertThat(ps[0]).isEqualTo(35);
        assertThat(ps[1]).isEqualTo((3 * (1L << 25) + 5) * 5);
        assertThat(ps[2]).isEqualTo((4 * (1L << 25) + 1) * 5);
        assertThat(ch).startsWith(0, 1, 3);
        assertThat(d.overflows()).isEqualTo(4);
        assertThat(d.syncs()).isEqualTo(1);
        assertThat(d.markers()).isEqualTo(1);
        assertThat(d.anomalies()).isZero();
    }

    @Test
    void nonIntegralResolutionAndUnknownInputs() {
        T2Decoder d = new T2Decoder(0.5, 2);
        int[] words = {photon(1, 4), photon(2, 5), special(20, 0), photon(0, 3)};
        long[] ps = new long[4];
        byte[] ch = new byte[4];
        assertThat(d.decode(words, 4, ps, ch)).isEqualTo(1);
        assertThat(ps[0]).isEqualTo(2);
        assertThat(d.anomalies()).isEqualTo(3); // input 3 unknown, special 20 reserved, time backwards
    }

    @Test
    void timeBeyondWhatALongHoldsIsAnAnomalyNotAWrap() {
        T2Decoder d = new T2Decoder(80.0, 4);
        int[] words = new int[300_000];
        java.util.Arrays.fill(words, special(63, 0x1FFFFFF));
        words[words.length - 1] = photon(0, 1);
        assertThat(d.decode(words, words.length, new long[words.length], new byte[words.length]))
                .isZero();
        assertThat(d.anomalies()).isEqualTo(1);
    }

    @Test
    @Tag("reliability")
    void fuzzedWordsNeverThrowAndEveryRecordIsAccountedFor() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        T2Decoder d = new T2Decoder(1 + random.nextInt(80), 1 + random.nextInt(64));
        int[] words = new int[1 << 16];
        long[] ps = new long[words.length];
        byte[] ch = new byte[words.length];
        long total = 0;
        long last = Long.MIN_VALUE;
        long overflowRecords = 0;
        while (total < WORDS) {
            for (int i = 0; i < words.length; i++) {
                words[i] = random.nextInt();
                if (words[i] < 0 && ((words[i] >>> 25) & 0x3F) == 63) {
                    overflowRecords++;
                }
            }
            int n = d.decode(words, words.length, ps, ch);
            for (int i = 0; i < n; i++) {
                assertThat(ps[i]).as("seed %d", seed).isGreaterThanOrEqualTo(last);
                last = ps[i];
            }
            total += words.length;
        }
        long nonOverflow = d.photons() + d.syncs() + d.markers() + d.anomalies();
        assertThat(nonOverflow + overflowRecords).as("seed %d", seed).isEqualTo(total);
        assertThat(d.anomalies()).as("seed %d", seed).isPositive();
        ReliabilityFigures.record("fuzz_executions", "t2-decoder", total);
    }
}
