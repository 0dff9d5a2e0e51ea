package io.hotaru.keys.distill.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameWriterTest {
    @Test
    void bulkDeltasAreTheBytesOfOneZigZagVarintPerElement() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 2000; trial++) {
            int n = random.nextInt(0, 300);
            long first = random.nextLong();
            long[] values = new long[n];
            long v = first;
            for (int i = 0; i < n; i++) {
                // Gaps of every varint length, 1 to 10 bytes, zero and negative ones included.
                int bits = random.nextInt(0, 65);
                long gap = bits == 64 ? random.nextLong() : random.nextLong() >>> (64 - bits);
                if (bits < 64 && random.nextInt(8) == 0) {
                    gap = -gap;
                }
                v += gap;
                values[i] = v;
            }
            FrameWriter one = new FrameWriter(16, 1 << 20);
            FrameWriter bulk = new FrameWriter(16, 1 << 20);
            one.u8(0xAB);
            bulk.u8(0xAB);
            long previous = first;
            for (long x : values) {
                one.zigZagLong(x - previous);
                previous = x;
            }
            bulk.zigZagDeltas(first, values);
            one.u8(0xCD);
            bulk.u8(0xCD);
            assertThat(bulk.toArray()).isEqualTo(one.toArray());
        }
    }

    @Test
    void packedValuesMatchTheLayoutOfTheFrameFormat() {
        FrameWriter w = new FrameWriter(16, 64);
        w.packed(new byte[] {1, 0, 1, 1, 0, 0, 0, 1, 1}, 9, 1);
        w.packed(new byte[] {3, 1, 2}, 3, 2);
        w.packed(new byte[] {15, 2, 7}, 3, 4);
        assertThat(w.toArray()).containsExactly(0x8D, 0x01, 0x27, 0x2F, 0x07);
    }

    @Test
    void bulkDeltasRefuseAFrameOverTheLimit() {
        FrameWriter w = new FrameWriter(16, 40);
        long[] values = new long[40];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1000L * (i + 1);
        }
        assertThatThrownBy(() -> w.zigZagDeltas(0, values))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("frame over 40 bytes");
    }
}
