package io.hotaru.keys.distill.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    @Test
    void bulkDeltasAreTheValuesOfOneZigZagVarintPerElement() {
        SplittableRandom random = new SplittableRandom(5);
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
            FrameWriter w = new FrameWriter(16, 1 << 20);
            w.zigZagDeltas(first, values);
            int tail = random.nextInt(0, 3); // frames that end right after the deltas, and that go on
            for (int t = 0; t < tail; t++) {
                w.u8(0xCD);
            }
            byte[] frame = w.toArray();

            long[] bulk = new long[n];
            FrameReader r = reader(frame);
            r.zigZagDeltas(first, bulk, n);
            assertThat(bulk).isEqualTo(values);
            assertThat(r.remaining()).isEqualTo(tail);
        }
    }

    @Test
    void bulkDeltasFailAsOneVarintPerElementDoesOnMalformedBytes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] frame = new byte[random.nextInt(0, 24)];
            for (int i = 0; i < frame.length; i++) {
                // mostly continuation bytes and zeros, where overlong and truncated varints lie
                int kind = random.nextInt(4);
                frame[i] = (byte) (kind == 0 ? 0 : kind == 1 ? 0x80 : random.nextInt(256));
            }
            int n = random.nextInt(0, 12);
            String expected = outcome(frame, n, false);
            assertThat(outcome(frame, n, true))
                    .as(Arrays.toString(frame) + " n=" + n)
                    .isEqualTo(expected);
        }
    }

    /** The values read, or the error's code, and the bytes left. */
    private static String outcome(byte[] frame, int n, boolean bulk) {
        FrameReader r = reader(frame);
        long[] out = new long[n];
        try {
            if (bulk) {
                r.zigZagDeltas(7, out, n);
            } else {
                long previous = 7;
                for (int i = 0; i < n; i++) {
                    previous += r.zigZagLong();
                    out[i] = previous;
                }
            }
            return Arrays.toString(out) + " left " + r.remaining();
        } catch (CodecException e) {
            return e.code().name();
        }
    }

    private static FrameReader reader(byte[] frame) {
        return new FrameReader(frame, 0, frame.length, CodecLimits.DEFAULT);
    }
}
