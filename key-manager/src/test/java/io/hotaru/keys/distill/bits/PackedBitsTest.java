package io.hotaru.keys.distill.bits;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.SeededRandom;
import org.junit.jupiter.api.Test;

class PackedBitsTest {
    @Test
    void rangeParityMatchesBitByBit() {
        SeededRandom random = new SeededRandom(11);
        int n = 1_000;
        long[] words = random.nextBits(n);
        for (int t = 0; t < 5_000; t++) {
            int a = random.nextInt(n + 1);
            int b = random.nextInt(n + 1);
            int from = Math.min(a, b);
            int to = Math.max(a, b);
            int expected = 0;
            for (int i = from; i < to; i++) {
                expected ^= PackedBits.get(words, i);
            }
            assertThat(PackedBits.rangeParity(words, from, to))
                    .as("seed %d, [%d, %d)", random.seed(), from, to)
                    .isEqualTo(expected);
        }
    }

    @Test
    void packsGathersAndWritesBytesLeastSignificantBitFirst() {
        byte[] bits = {1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        long[] packed = PackedBits.pack(bits);
        assertThat(packed).containsExactly(0b10_0000_1101L);
        assertThat(PackedBits.toBytes(packed, 16)).containsExactly((byte) 0x0D, (byte) 0x02);
        assertThat(PackedBits.gather(bits, new int[] {9, 1, 0})).containsExactly(0b101L);
        assertThat(PackedBits.hammingDistance(packed, new long[] {0b10_0000_0101L}, 16))
                .isEqualTo(1);
    }

    @Test
    void clearsTheTailAndZeroes() {
        long[] words = {-1L, -1L};
        PackedBits.clearTail(words, 70);
        assertThat(words).containsExactly(-1L, 0b11_1111L);
        PackedBits.zero(words);
        assertThat(words).containsOnly(0L);
    }
}
