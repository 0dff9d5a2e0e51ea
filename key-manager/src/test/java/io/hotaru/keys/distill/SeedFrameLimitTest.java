package io.hotaru.keys.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.amplify.MultiplyShiftHash;
import io.hotaru.keys.distill.protocol.DistillMessage.AmplificationSeed;
import io.hotaru.keys.distill.protocol.codec.CodecException;
import io.hotaru.keys.distill.protocol.codec.CodecLimits;
import io.hotaru.keys.distill.protocol.codec.MessageCodec;
import org.junit.jupiter.api.Test;

/** The amplification seed of the largest block a node allows must fit the frame limits it uses. */
class SeedFrameLimitTest {
    @Test
    void seedBoundCoversEveryLengthUpToTheBlockSize() {
        int[] inputs = {1, 63, 64, 65, 1000, 100_000, 1_000_003, 10_000_001, 50_000_000, 100_000_000};
        for (int n : inputs) {
            for (int l : new int[] {1, Math.max(1, n / 4), Math.max(1, n / 2), n}) {
                assertThat(MultiplyShiftHash.seedWords(n, l))
                        .as("n=%d ℓ=%d", n, l)
                        .isLessThanOrEqualTo(MultiplyShiftHash.seedWordsBound(n));
            }
        }
        // Not wildly above the worst case it covers (ℓ = n at n = 10⁸ needs k = 4 or fewer pieces).
        int n = 100_000_000;
        assertThat((double) MultiplyShiftHash.seedWordsBound(n) / MultiplyShiftHash.seedWords(n, n))
                .isLessThan(2.0);
    }

    @Test
    void aBlockOfTheBenchmarkSizeNeedsAndGetsALargerFrame() throws CodecException {
        int n = 100_000_000;
        int l = n / 4;
        long[] seed = new long[MultiplyShiftHash.seedWords(n, l)];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = 0x9E3779B97F4A7C15L * (i + 1);
        }
        AmplificationSeed message = new AmplificationSeed(7, l, seed);

        // 3.9·10⁶ words, 31 MB: over the default 16 MiB frame.
        assertThatThrownBy(() -> new MessageCodec(CodecLimits.DEFAULT).encode(message))
                .isInstanceOf(CodecException.class);

        CodecLimits limits = CodecLimits.DEFAULT.admittingLongArray(MultiplyShiftHash.seedWordsBound(n));
        MessageCodec codec = new MessageCodec(limits);
        byte[] frame = codec.encode(message);
        AmplificationSeed decoded = (AmplificationSeed) codec.decode(frame);
        assertThat(decoded.finalLength()).isEqualTo(l);
        assertThat(decoded.seed()).isEqualTo(seed);
    }

    @Test
    void limitsAlreadyLargeEnoughAreKept() {
        assertThat(CodecLimits.DEFAULT.admittingLongArray(1000)).isEqualTo(CodecLimits.DEFAULT);
        CodecLimits raised = CodecLimits.DEFAULT.admittingLongArray(4_000_000);
        assertThat(raised.maxFrameBytes()).isGreaterThanOrEqualTo(8 * 4_000_000 + MessageCodec.HEADER_BYTES);
        assertThat(raised.maxDecodedBytes()).isEqualTo(8 * 4_000_000);
        assertThat(raised.maxElements()).isEqualTo(CodecLimits.DEFAULT.maxElements());
    }
}
