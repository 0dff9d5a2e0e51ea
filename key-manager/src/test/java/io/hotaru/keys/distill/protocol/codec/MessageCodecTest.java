package io.hotaru.keys.distill.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.BobBlock;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.Abort;
import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import io.hotaru.keys.distill.protocol.DistillMessage.Detections;
import io.hotaru.keys.distill.protocol.DistillMessage.EstimationBits;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityRequest;
import io.hotaru.keys.distill.protocol.DistillMessage.VerificationResult;
import io.hotaru.keys.distill.protocol.MessageSamples;
import io.hotaru.keys.distill.protocol.codec.CodecException.Code;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();

    static void assertSameMessage(DistillMessage actual, DistillMessage expected) {
        assertThat(actual).isInstanceOf(expected.getClass());
        assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
    }

    /** Bob's detections of a block of {@code n}, about 92 slots apart as on a 1 GHz link. */
    private static Detections detections(int n) {
        long[] slots = new long[n];
        byte[] bases = new byte[n];
        for (int i = 0; i < n; i++) {
            slots[i] = 92L * i + (i * 0x9E3779B9L >>> 58);
            bases[i] = (byte) (i % 5 == 0 ? 1 : 0);
        }
        return new Detections(7, 0, slots[n - 1] + 1, slots, bases);
    }

    @Test
    void theLargestBlockCrossesTheChannelWithTheDefaultLimits() {
        Detections largest = detections(BobBlock.MAX_DETECTIONS);
        assertSameMessage(codec.decode(codec.encode(largest)), largest);
    }

    @Test
    void aBlockOverTheLargestDoesNotDecodeWithTheDefaultLimits() {
        // Nine bytes per detection once decoded: 2^21 detections need 18 MiB, over the 16 MiB bound.
        byte[] frame = codec.encode(detections(2 * BobBlock.MAX_DETECTIONS));
        assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(CodecException.class);
    }

    @Test
    void samplesCoverEveryMessageType() {
        Deque<Class<?>> open = new ArrayDeque<>(List.of(DistillMessage.class));
        List<Class<?>> concrete = new ArrayList<>();
        while (!open.isEmpty()) {
            Class<?> c = open.pop();
            if (c.isRecord()) {
                concrete.add(c);
            } else {
                open.addAll(Arrays.asList(c.getPermittedSubclasses()));
            }
        }
        assertThat(concrete).containsExactlyInAnyOrderElementsOf(MessageSamples.TYPES);
    }

    @Test
    void wireCodesFollowTheSampleOrderAndCoverEveryAbortReason() {
        MessageSamples samples = new MessageSamples(1, 4);
        for (int i = 0; i < MessageSamples.TYPES.size(); i++) {
            assertThat(codec.encode(samples.of(MessageSamples.TYPES.get(i)))[1]).isEqualTo((byte) (i + 1));
        }
        assertThat(MessageCodec.ABORT_CODES).containsExactlyInAnyOrder(AbortReason.values());
    }

    @Test
    void reconcileFramesAreRecognisedByTheirTypeByte() {
        MessageSamples samples = new MessageSamples(3, 8);
        for (Class<? extends DistillMessage> type : MessageSamples.TYPES) {
            assertThat(MessageCodec.isReconcileFrame(codec.encode(samples.of(type))))
                    .as(type.getSimpleName())
                    .isEqualTo(DistillMessage.ReconcileMessage.class.isAssignableFrom(type));
        }
        assertThat(MessageCodec.isReconcileFrame(new byte[1])).isFalse();
    }

    @Test
    void everyTypeRoundTrips() {
        long seed = 20261125;
        MessageSamples samples = new MessageSamples(seed, 300);
        for (Class<? extends DistillMessage> type : MessageSamples.TYPES) {
            for (int i = 0; i < 500; i++) {
                DistillMessage m = samples.of(type);
                byte[] frame = codec.encode(m);
                assertThat(frame.length).isLessThanOrEqualTo(CodecLimits.DEFAULT.maxFrameBytes());
                if (i < 40) { // field by field; after that the canonical frame stands for the fields
                    assertSameMessage(codec.decode(frame), m);
                }
                assertThat(codec.encode(codec.decode(frame)))
                        .as("seed %d", seed)
                        .isEqualTo(frame);
            }
        }
    }

    @Test
    void decodesAFrameInsideALargerArray() {
        byte[] frame = codec.encode(new Confirm(42));
        byte[] padded = new byte[frame.length + 7];
        System.arraycopy(frame, 0, padded, 3, frame.length);
        assertThat(codec.decode(padded, 3, frame.length)).isEqualTo(new Confirm(42));
    }

    /** Frozen byte layouts, so any change to the wire format is looked at. */
    @Test
    void knownFrames() {
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(codec.encode(new Confirm(0x0102030405060708L))))
                .isEqualTo("010a000000080102030405060708");
        assertThat(hex.formatHex(codec.encode(new Abort(1, AbortReason.QBER_TOO_HIGH))))
                .isEqualTo("010b00000009000000000000000101");
        assertThat(hex.formatHex(codec.encode(new VerificationResult(2, true))))
                .isEqualTo("010800000009000000000000000201");
        assertThat(hex.formatHex(
                        codec.encode(new Detections(3, 100, 200, new long[] {101, 103, 230}, new byte[] {1, 0, 1}))))
                // firstSlot 100 → zig-zag 200 = c8 01; endSlot 200 → 400 = 90 03; count 3;
                // deltas 1, 2, 127 → 02, 04, fe 01; bases width 1, bits 101 → 05.
                .isEqualTo("010100000013" + "0000000000000003" + "c801" + "9003" + "03" + "02" + "04" + "fe01" + "01"
                        + "05");
        assertThat(hex.formatHex(
                        codec.encode(new ParityRequest(4, 1, new byte[] {0, 1}, new int[] {10, 4}, new int[] {20, 8}))))
                .isEqualTo("01040000001000000000000000040202" + "0102" + "140b" + "1408");
        assertThat(hex.formatHex(codec.encode(new DistillMessage.SlotRevealRequest(0, 100, 200))))
                .isEqualTo("010e0000000c" + "0000000000000000" + "c801" + "9003");
        assertThat(hex.formatHex(codec.encode(new DistillMessage.SlotReveal(0, 100, 200, new long[] {5}))))
                // mask: count 1, then the word
                .isEqualTo("010f00000015" + "0000000000000000" + "c801" + "9003" + "01" + "0000000000000005");
    }

    @Test
    void refusesBadHeaders() {
        byte[] frame = codec.encode(new EstimationBits(9, new long[] {1, 2}));
        assertCode(Arrays.copyOf(frame, 5), Code.TRUNCATED);
        assertCode(with(frame, 0, 2), Code.UNSUPPORTED_VERSION);
        assertCode(with(frame, 1, 0), Code.UNKNOWN_TYPE);
        assertCode(with(frame, 1, MessageSamples.TYPES.size() + 1), Code.UNKNOWN_TYPE);
        assertCode(with(frame, 5, frame[5] + 1), Code.BAD_LENGTH);
        assertCode(with(frame, 2, 0x80), Code.BAD_LENGTH);
        assertCode(Arrays.copyOf(frame, frame.length - 1), Code.BAD_LENGTH);
    }

    @Test
    void refusesTrailingBytesAndTruncatedFields() {
        byte[] frame = codec.encode(new EstimationBits(9, new long[] {1, 2}));
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        longer[5]++;
        assertCode(longer, Code.TRAILING_BYTES);
        byte[] shorter = Arrays.copyOf(frame, frame.length - 1);
        shorter[5]--;
        assertCode(shorter, Code.TRUNCATED);
    }

    @Test
    void refusesOutOfRangeValues() {
        byte[] abort = codec.encode(new Abort(1, AbortReason.INVALID_INPUT));
        assertCode(with(abort, abort.length - 1, MessageCodec.ABORT_CODES.length), Code.OUT_OF_RANGE);
        byte[] result = codec.encode(new VerificationResult(1, false));
        assertCode(with(result, result.length - 1, 2), Code.OUT_OF_RANGE);
        byte[] detections = codec.encode(new Detections(3, 100, 200, new long[] {101}, new byte[] {1}));
        assertCode(with(detections, detections.length - 2, 3), Code.OUT_OF_RANGE); // packing width 3
        assertCode(with(detections, detections.length - 1, 0x03), Code.OUT_OF_RANGE); // padding bit set
    }

    @Test
    void refusesNonCanonicalVarints() {
        // EstimationBits with count 0 written as 80 00 instead of 00.
        byte[] overlong = HexFormat.of().parseHex("0103000000" + "0a" + "0000000000000009" + "8000");
        assertCode(overlong, Code.NON_CANONICAL);
        // A count of 2^32 does not fit 32 bits.
        byte[] overflow = HexFormat.of().parseHex("0103000000" + "0d" + "0000000000000009" + "8080808010");
        assertCode(overflow, Code.NON_CANONICAL);
    }

    @Test
    void refusesCountsBeyondTheFrameOrTheLimits() {
        // EstimationBits claiming 2^31 - 1 words in a 15-byte body.
        byte[] huge = HexFormat.of().parseHex("0103000000" + "0d" + "0000000000000009" + "ffffffff07");
        assertCode(huge, Code.TOO_LARGE);
        MessageCodec small = new MessageCodec(new CodecLimits(1 << 20, 1000, 100));
        assertThatThrownBy(() -> small.decode(codec.encode(new EstimationBits(1, new long[101]))))
                .isInstanceOfSatisfying(
                        CodecException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_LARGE));
        assertThatThrownBy(() -> small.decode(codec.encode(new EstimationBits(1, new long[126]))))
                .isInstanceOfSatisfying(
                        CodecException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_LARGE));
        assertThat(small.decode(codec.encode(new EstimationBits(1, new long[100]))))
                .isNotNull();
    }

    @Test
    void refusesToEncodeOrDecodeFramesOverTheLimit() {
        MessageCodec small = new MessageCodec(CodecLimits.ofFrameBytes(64));
        EstimationBits big = new EstimationBits(1, new long[8]);
        assertThatThrownBy(() -> small.encode(big))
                .isInstanceOfSatisfying(
                        CodecException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_LARGE));
        assertThatThrownBy(() -> small.decode(codec.encode(big)))
                .isInstanceOfSatisfying(
                        CodecException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_LARGE));
    }

    @Test
    void slotListsAreCompact() {
        int n = 100_000;
        long[] slots = new long[n];
        for (int i = 0; i < n; i++) {
            slots[i] = 1_000_000_000L + 10L * i + (i % 7);
        }
        byte[] frame = codec.encode(new Detections(1, 1_000_000_000L, 1_000_000_000L + 10L * n, slots, new byte[n]));
        // One byte per slot delta and one bit per basis, against 9 bytes per detection as Java values.
        assertThat(frame.length).isLessThan(n + n / 8 + 64);
    }

    private void assertCode(byte[] frame, Code code) {
        assertThatThrownBy(() -> codec.decode(frame))
                .isInstanceOfSatisfying(
                        CodecException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static byte[] with(byte[] frame, int index, int value) {
        byte[] copy = frame.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
