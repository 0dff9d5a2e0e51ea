package io.hotaru.keys.relay.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.relay.LinkState;
import io.hotaru.keys.relay.RelayMessage;
import io.hotaru.keys.relay.RelayMessage.Abort;
import io.hotaru.keys.relay.RelayMessage.Announce;
import io.hotaru.keys.relay.RelayMessage.Forward;
import io.hotaru.keys.relay.RelayMessage.Reply;
import io.hotaru.keys.relay.RelayStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RelayCodecTest {
    static List<RelayMessage> samples() {
        List<String> path = List.of("A", "B", "C");
        List<UUID> units = List.of(new UUID(1, 2), new UUID(3, 4));
        byte[] ciphertext = new byte[64];
        new Random(1).nextBytes(ciphertext);
        return List.of(
                new Forward(7, 42, path, 1, 512, 0, 1, units, ciphertext),
                new Forward(8, Long.MAX_VALUE, List.of("n1", "n2"), 1, 8, 2, 3, units.subList(0, 1), new byte[1]),
                new Abort(9, 42, path, 2, units),
                new Abort(10, 43, path, 1, List.of()),
                new Announce(
                        11, "Otemachi", 99, List.of(new LinkState("Hongo", 20, true), new LinkState("K", 0, false))),
                new Reply(12, 42, RelayStatus.COMMITTED),
                new Reply(13, 42, RelayStatus.IN_DOUBT));
    }

    @Test
    void everyMessageSurvivesTheRoundTrip() {
        for (RelayMessage m : samples()) {
            assertThat(RelayCodec.decode(RelayCodec.encode(m))).as("%s", m).isEqualTo(m);
        }
    }

    @Test
    void aForwardFrameIsPinnedByteForByte() {
        byte[] frame = RelayCodec.encode(new Reply(1, 2, RelayStatus.ABORTED));
        assertThat(frame)
                .containsExactly(1, 4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, RelayStatus.ABORTED.ordinal());
    }

    @Test
    void malformedFramesAreRefusedWithTheirReason() {
        byte[] good = RelayCodec.encode(samples().get(0));
        assertCode(new byte[0], RelayCodecException.Code.TRUNCATED);
        assertCode(java.util.Arrays.copyOf(good, good.length - 1), RelayCodecException.Code.TRUNCATED);
        assertCode(java.util.Arrays.copyOf(good, good.length + 1), RelayCodecException.Code.TRAILING_BYTES);
        byte[] version = good.clone();
        version[0] = 2;
        assertCode(version, RelayCodecException.Code.UNSUPPORTED_VERSION);
        byte[] type = good.clone();
        type[1] = 9;
        assertCode(type, RelayCodecException.Code.UNKNOWN_TYPE);
        assertCode(new byte[RelayCodec.MAX_FRAME_BYTES + 1], RelayCodecException.Code.TOO_LARGE);
    }

    @Test
    void fieldsOutsideTheirRangeAreRefusedOnBothSides() {
        List<UUID> one = List.of(new UUID(1, 1));
        assertThatThrownBy(
                        () -> RelayCodec.encode(new Forward(1, 1, List.of("A", "B"), 2, 256, 0, 1, one, new byte[32])))
                .isInstanceOf(RelayCodecException.class); // hop beyond the path
        assertThatThrownBy(
                        () -> RelayCodec.encode(new Forward(1, 1, List.of("A", "A"), 1, 256, 0, 1, one, new byte[32])))
                .isInstanceOf(RelayCodecException.class); // a loop
        assertThatThrownBy(
                        () -> RelayCodec.encode(new Forward(1, 1, List.of("A", "B"), 1, 256, 0, 1, one, new byte[31])))
                .isInstanceOf(RelayCodecException.class); // ciphertext shorter than the key
        assertThatThrownBy(
                        () -> RelayCodec.encode(new Forward(1, 1, List.of("A", "B"), 1, 256, 1, 1, one, new byte[32])))
                .isInstanceOf(RelayCodecException.class); // share index beyond the shares
        assertThatThrownBy(() ->
                        RelayCodec.encode(new Forward(1, 1, List.of("A", "b c"), 1, 256, 0, 1, one, new byte[32])))
                .isInstanceOf(RelayCodecException.class); // node ID with a space
        List<String> longPath = new ArrayList<>();
        for (int i = 0; i <= RelayCodec.MAX_PATH_NODES; i++) {
            longPath.add("n" + i);
        }
        assertThatThrownBy(() -> RelayCodec.encode(new Abort(1, 1, longPath, 1, List.of())))
                .isInstanceOf(RelayCodecException.class);
        assertThatThrownBy(() -> RelayCodec.encode(new Abort(
                        1, 1, List.of("A", "B"), 1, Collections.nCopies(RelayCodec.MAX_UNITS + 1, new UUID(0, 0)))))
                .isInstanceOf(RelayCodecException.class);
    }

    private static void assertCode(byte[] frame, RelayCodecException.Code code) {
        assertThatThrownBy(() -> RelayCodec.decode(frame))
                .isInstanceOfSatisfying(
                        RelayCodecException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
