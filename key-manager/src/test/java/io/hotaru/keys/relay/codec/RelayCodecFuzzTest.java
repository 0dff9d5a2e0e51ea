package io.hotaru.keys.relay.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.relay.RelayMessage;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Feeds the decoder {@value #FRAMES} generated frames (every message type, batches included) — valid frames with bytes flipped, cut,
 * extended, spliced, length and count fields set to extremes, and pure noise — and requires that
 * it never throws anything but {@link RelayCodecException}, and that whatever it accepts encodes
 * back to the same bytes (so no two frames mean the same message).
 */
class RelayCodecFuzzTest {
    static final int FRAMES = ReliabilityFigures.count("hotaru.fuzz.relay-frames", 1_000_000);

    @Test
    @Tag("reliability")
    void noGeneratedFrameEscapesTheCodecException() {
        long seed = Long.getLong("fuzz.seed", 0x5EED_2026L);
        System.out.println("RelayCodecFuzzTest seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> valid =
                RelayCodecTest.samples().stream().map(RelayCodec::encode).toList();
        int accepted = 0;
        for (int i = 0; i < FRAMES; i++) {
            byte[] frame = mutate(valid.get(random.nextInt(valid.size())), valid, random);
            RelayMessage decoded;
            try {
                decoded = RelayCodec.decode(frame);
            } catch (RelayCodecException expected) {
                continue;
            } catch (RuntimeException escaped) {
                throw new AssertionError("frame " + i + " (seed " + seed + ") escaped with " + escaped, escaped);
            }
            accepted++;
            if (!java.util.Arrays.equals(RelayCodec.encode(decoded), frame)) {
                throw new AssertionError("frame " + i + " (seed " + seed + ") decodes to a different encoding");
            }
        }
        System.out.printf("RelayCodecFuzzTest: %d frames, %d accepted%n", FRAMES, accepted);
        assertThat(accepted).as("some mutations stay valid").isPositive();
        ReliabilityFigures.record("fuzz_executions", "relay-frames", FRAMES);
    }

    private static byte[] mutate(byte[] base, List<byte[]> valid, SplittableRandom r) {
        byte[] f;
        switch (r.nextInt(6)) {
            case 0 -> { // flip a few bytes
                f = base.clone();
                for (int n = 1 + r.nextInt(3); n > 0; n--) {
                    f[r.nextInt(f.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case 1 -> f = java.util.Arrays.copyOf(base, r.nextInt(base.length + 1)); // truncate
            case 2 -> { // extend with noise
                f = java.util.Arrays.copyOf(base, base.length + 1 + r.nextInt(64));
                for (int i = base.length; i < f.length; i++) {
                    f[i] = (byte) r.nextInt(256);
                }
            }
            case 3 -> { // an extreme value in a length or count position
                f = base.clone();
                int at = r.nextInt(f.length);
                f[at] = (byte) (r.nextBoolean() ? 0xFF : r.nextInt(4));
            }
            case 4 -> { // splice two frames
                byte[] other = valid.get(r.nextInt(valid.size()));
                int cut = r.nextInt(Math.min(base.length, other.length));
                f = new byte[cut + other.length - cut];
                System.arraycopy(base, 0, f, 0, cut);
                System.arraycopy(other, cut, f, cut, other.length - cut);
            }
            default -> { // noise behind a valid version and type
                f = new byte[r.nextInt(200)];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (byte) r.nextInt(256);
                }
                if (f.length > 2) {
                    f[0] = (byte) RelayCodec.VERSION;
                    f[1] = (byte) (1 + r.nextInt(6));
                }
            }
        }
        return f;
    }
}
