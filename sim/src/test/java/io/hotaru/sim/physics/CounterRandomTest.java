package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterRandomTest {

    /** SplitMix64 seeded with 0 first outputs mix64(γ): the published first value 0xE220A8397B1DCDAF. */
    @Test
    void mix64IsTheSplitMix64Finaliser() {
        assertThat(CounterRandom.mix64(0x9E3779B97F4A7C15L)).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(CounterRandom.mix64(2 * 0x9E3779B97F4A7C15L)).isEqualTo(0x6E789E6AA1B965F4L);
    }

    /** Frozen outputs: any change to the generator changes every simulated link. */
    @Test
    void outputsAreFrozen() {
        CounterRandom r = CounterRandom.of(CounterRandom.linkKey(42, "ab"), 1);
        assertThat(r.at(0)).isEqualTo(r.at(0));
        assertThat(String.format("%016x %016x", r.at(0), r.at(1_000_000_007L))).isEqualTo(FROZEN);
    }

    private static final String FROZEN = "3eed9991de25f4f3 3a9f8ec856d38bb0";

    /** A stream is SplitMix64 with its own odd increment: consecutive counters step by γ before mixing. */
    @Test
    void aStreamIsSplitMix64WithItsOwnIncrement() {
        for (long raw : new long[] {0, 1, 0x5555555555555555L, -1, 0x123456789ABCDEFL}) {
            long g = CounterRandom.increment(raw);
            assertThat(g & 1).isEqualTo(1);
            assertThat(Long.bitCount(g ^ (g >>> 1))).isGreaterThanOrEqualTo(24);
        }
    }

    @Test
    void aRunIsTheWordsOfConsecutiveCounters() {
        CounterRandom r = CounterRandom.of(CounterRandom.linkKey(7, "ab"), 19);
        long[] out = new long[CounterRandom.MAX_RUN];
        for (long first : new long[] {0, 65_536, -3, Long.MAX_VALUE - 100}) {
            for (int n : new int[] {0, 1, 7, CounterRandom.MAX_RUN}) {
                r.atRun(first, out, n);
                for (int i = 0; i < n; i++) {
                    assertThat(out[i]).as("first %d, i %d", first, i).isEqualTo(r.at(first + i));
                }
            }
        }
    }

    @Test
    void linkNameAndStreamChangeTheSequence() {
        long k = CounterRandom.linkKey(42, "ab");
        assertThat(CounterRandom.linkKey(42, "ac")).isNotEqualTo(k);
        assertThat(CounterRandom.linkKey(43, "ab")).isNotEqualTo(k);
        assertThat(CounterRandom.of(k, 1).at(5))
                .isNotEqualTo(CounterRandom.of(k, 2).at(5));
    }

    @Test
    void bitsAreBalanced() {
        CounterRandom r = CounterRandom.of(7, 3);
        int n = 1 << 16;
        long ones = 0;
        for (int i = 0; i < n; i++) {
            ones += Long.bitCount(r.at(i));
        }
        double bits = 64.0 * n;
        assertThat(Math.abs(ones - bits / 2)).isLessThan(4 * Math.sqrt(bits / 4));
    }

    @Test
    void bytesDoNotDependOnChunking() {
        CounterRandom r = CounterRandom.of(7, 3);
        byte[] whole = new byte[100];
        r.bytesAt(5, whole, 0, 100);
        byte[] parts = new byte[100];
        r.bytesAt(5, parts, 0, 3);
        r.bytesAt(8, parts, 3, 50);
        r.bytesAt(58, parts, 53, 47);
        assertThat(parts).isEqualTo(whole);
        assertThat(whole[3]).isEqualTo((byte) r.at(1)); // position 8 is byte 0 of word 1
    }
}
