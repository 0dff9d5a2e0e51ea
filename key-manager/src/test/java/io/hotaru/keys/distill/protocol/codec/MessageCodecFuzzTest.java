package io.hotaru.keys.distill.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.MessageSamples;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Generated and mutated frames: the decoder either returns a message that encodes back to a frame
 * decoding to the same message, or throws {@link CodecException}; nothing else escapes, and no
 * decode allocates more than the frame limit.
 */
class MessageCodecFuzzTest {
    static final int EXECUTIONS = ReliabilityFigures.count("hotaru.fuzz.peer-frames", 1_000_000);
    static final int WARM_UP = 20_000;
    /** Room for the message records, the exception and the reader beside the limited arrays. */
    static final long ALLOCATION_SLACK = 4096;

    private final CodecLimits limits = new CodecLimits(8192, 8192, 2048);
    private final MessageCodec wide = new MessageCodec();
    private final MessageCodec codec = new MessageCodec(limits);

    @Test
    @Tag("reliability")
    void mutatedFramesDecodeOrFailWithTheCodecsOwnError() {
        long seed = 0x5EED_F022L;
        SplittableRandom random = new SplittableRandom(seed);
        MessageSamples samples = new MessageSamples(seed, 600);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<CodecException.Code, Integer> refusals = new EnumMap<>(CodecException.Code.class);
        int decoded = 0;
        long maxAllocated = 0;
        byte[] frame = wide.encode(samples.next());
        for (int i = 0; i < WARM_UP; i++) { // loads and compiles the classes, so allocations are the decoder's
            threads.getCurrentThreadAllocatedBytes();
            try {
                codec.decode(mutate(wide.encode(samples.next()), random));
            } catch (CodecException expected) {
                // counted below
            }
        }
        for (int i = 0; i < EXECUTIONS; i++) {
            if (random.nextInt(4) == 0) {
                frame = wide.encode(samples.next());
            }
            byte[] input = mutate(frame, random);
            DistillMessage message = null;
            CodecException refusal = null;
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                message = codec.decode(input);
            } catch (CodecException refused) {
                refusal = refused;
            } catch (RuntimeException | Error escaped) {
                throw new AssertionError(
                        "seed " + seed + " execution " + i + ": " + escaped + " on " + Arrays.toString(input), escaped);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (refusal != null) {
                refusals.merge(refusal.code(), 1, Integer::sum);
            }
            maxAllocated = Math.max(maxAllocated, allocated);
            if (allocated > limits.maxFrameBytes() + ALLOCATION_SLACK) {
                throw new AssertionError("seed " + seed + " execution " + i + ": decoding allocated " + allocated);
            }
            if (message != null) {
                decoded++;
                byte[] canonical = codec.encode(message);
                if (!Arrays.equals(codec.encode(codec.decode(canonical)), canonical)) {
                    throw new AssertionError(
                            "seed " + seed + " execution " + i + ": " + message + " does not round-trip");
                }
            }
        }
        System.out.printf(
                "codec fuzz seed %d: %d executions, %d decoded, refused %s, max allocation %d bytes%n",
                seed, EXECUTIONS, decoded, refusals, maxAllocated);
        assertThat(decoded).isGreaterThan(EXECUTIONS / 20);
        assertThat(refusals).containsKeys(CodecException.Code.values());
        ReliabilityFigures.record("fuzz_executions", "peer-frames", EXECUTIONS);
    }

    /** One of a few mutations, biased towards the header and towards small changes. */
    static byte[] mutate(byte[] frame, SplittableRandom random) {
        byte[] f = frame.clone();
        switch (random.nextInt(12)) {
            case 0 -> {
                return f; // unchanged
            }
            case 1 -> {
                int flips = 1 + random.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int bit = random.nextInt(f.length * 8);
                    f[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
            }
            case 2 -> f[random.nextInt(f.length)] = (byte) random.nextInt(256);
            case 3 -> f[random.nextInt(Math.min(f.length, 24))] = interesting(random);
            case 4 -> f = Arrays.copyOf(f, random.nextInt(f.length + 1)); // truncate
            case 5 -> { // truncate and fix the header's length so the body is cut inside a field
                f = Arrays.copyOf(
                        f, MessageCodec.HEADER_BYTES + random.nextInt(f.length - MessageCodec.HEADER_BYTES + 1));
                setBodyLength(f, f.length - MessageCodec.HEADER_BYTES);
            }
            case 6 -> { // append bytes, header fixed or not
                f = Arrays.copyOf(f, f.length + 1 + random.nextInt(16));
                for (int k = frame.length; k < f.length; k++) {
                    f[k] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    setBodyLength(f, f.length - MessageCodec.HEADER_BYTES);
                }
            }
            case 7 -> { // a varint-sized hole: 0xff bytes where a count may sit
                int at = MessageCodec.HEADER_BYTES + random.nextInt(Math.max(1, f.length - MessageCodec.HEADER_BYTES));
                for (int k = at; k < Math.min(f.length, at + 1 + random.nextInt(6)); k++) {
                    f[k] = (byte) (random.nextBoolean() ? 0xFF : 0x80);
                }
            }
            case 8 -> { // delete a range and fix the header
                int from = random.nextInt(f.length);
                int to = from + random.nextInt(f.length - from + 1);
                byte[] cut = new byte[f.length - (to - from)];
                System.arraycopy(f, 0, cut, 0, from);
                System.arraycopy(f, to, cut, from, f.length - to);
                f = cut;
                if (f.length >= MessageCodec.HEADER_BYTES) {
                    setBodyLength(f, f.length - MessageCodec.HEADER_BYTES);
                }
            }
            case 9 -> f[1] = (byte) random.nextInt(16); // another type over this body
            case 10 -> { // random bytes behind a valid-looking header
                f = new byte[MessageCodec.HEADER_BYTES + random.nextInt(64)];
                for (int k = 0; k < f.length; k++) {
                    f[k] = (byte) random.nextInt(256);
                }
                f[0] = MessageCodec.VERSION;
                f[1] = (byte) (1 + random.nextInt(13));
                setBodyLength(f, f.length - MessageCodec.HEADER_BYTES);
            }
            default -> { // a single byte in the body changed by ±1 (counts, widths, codes)
                if (f.length > MessageCodec.HEADER_BYTES) {
                    f[MessageCodec.HEADER_BYTES + random.nextInt(f.length - MessageCodec.HEADER_BYTES)] +=
                            random.nextBoolean() ? 1 : -1;
                }
            }
        }
        return f;
    }

    private static byte interesting(SplittableRandom random) {
        int[] values = {0, 1, 2, 0x7F, 0x80, 0xFE, 0xFF, 13, 14};
        return (byte) values[random.nextInt(values.length)];
    }

    private static void setBodyLength(byte[] f, int body) {
        f[2] = (byte) (body >>> 24);
        f[3] = (byte) (body >>> 16);
        f[4] = (byte) (body >>> 8);
        f[5] = (byte) body;
    }
}
