package io.hotaru.keys.relay.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.relay.LinkState;
import io.hotaru.keys.relay.RelayMessage;
import io.hotaru.keys.relay.RelayMessage.Abort;
import io.hotaru.keys.relay.RelayMessage.Announce;
import io.hotaru.keys.relay.RelayMessage.Forward;
import io.hotaru.keys.relay.RelayMessage.ForwardBatch;
import io.hotaru.keys.relay.RelayMessage.Lease;
import io.hotaru.keys.relay.RelayMessage.Reply;
import io.hotaru.keys.relay.RelayMessage.ReplyBatch;
import io.hotaru.keys.relay.RelayStatus;
import java.util.ArrayList;
import java.util.Arrays;
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
                new Forward(7, 42, (1L << 40) | 6, path, 1, 512, 0, 1, units, ciphertext),
                new Forward(
                        8,
                        Long.MAX_VALUE,
                        Long.MAX_VALUE,
                        List.of("n1", "n2"),
                        1,
                        8,
                        2,
                        3,
                        units.subList(0, 1),
                        new byte[1]),
                new Abort(9, 42, (1L << 40) | 6, path, 2, units),
                new Abort(10, 43, Long.MAX_VALUE, path, 1, List.of()),
                new Lease(13, 77, units, false),
                new Lease(14, -5, List.of(new UUID(5, 6)), true),
                new Lease(15, 78, units, false, 1L << 20),
                new RelayMessage.PoolEnd(16, 4096),
                new Announce(
                        11, "Otemachi", 99, List.of(new LinkState("Hongo", 20, true), new LinkState("K", 0, false))),
                new Reply(12, 42, RelayStatus.COMMITTED),
                new Reply(13, 42, RelayStatus.IN_DOUBT),
                new ForwardBatch(
                        14,
                        List.of(
                                new Forward(14, 42, 4, path, 1, 512, 0, 1, units, ciphertext),
                                new Forward(
                                        14, 43, 6, List.of("n1", "n2"), 1, 8, 2, 3, units.subList(1, 2), new byte[1]))),
                new ForwardBatch(15, List.of(new Forward(15, 44, 8, path, 2, 512, 0, 1, units, ciphertext))),
                new ReplyBatch(
                        16, List.of(new Reply(16, 42, RelayStatus.COMMITTED), new Reply(16, 43, RelayStatus.ABORTED))));
    }

    /** A forward batch of {@code n} one-unit forwards over a path of {@code nodes} nodes with {@code idBytes}-byte IDs. */
    private static ForwardBatch batch(int n, int nodes, int idBytes, int units) {
        List<String> path = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            path.add(String.format("%0" + idBytes + "d", i));
        }
        List<UUID> pad = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            pad.add(new UUID(7, i));
        }
        List<Forward> forwards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            forwards.add(new Forward(1, i, 10, path, 1, 256 * units, 0, 1, pad, new byte[32 * units]));
        }
        return new ForwardBatch(1, forwards);
    }

    @Test
    void aBatchIsBoundedByItsCountAndTheFrameAndNamesEachRelayOnce() {
        ForwardBatch full = batch(RelayCodec.MAX_BATCH, 6, 2, 1);
        assertThat(RelayCodec.decode(RelayCodec.encode(full))).isEqualTo(full);
        assertThatThrownBy(() -> RelayCodec.encode(batch(RelayCodec.MAX_BATCH + 1, 6, 2, 1)))
                .isInstanceOfSatisfying(
                        RelayCodecException.class,
                        e -> assertThat(e.code()).isEqualTo(RelayCodecException.Code.TOO_LARGE));
        assertThatThrownBy(() -> RelayCodec.encode(new ForwardBatch(1, List.of())))
                .isInstanceOf(RelayCodecException.class);
        assertThatThrownBy(() -> RelayCodec.encode(batch(4, 16, 64, 32))) // 4 × 2.6 KB
                .isInstanceOfSatisfying(
                        RelayCodecException.class,
                        e -> assertThat(e.code()).isEqualTo(RelayCodecException.Code.TOO_LARGE));
        Forward f = batch(1, 2, 1, 1).forwards().get(0);
        assertThatThrownBy(() -> RelayCodec.encode(new ForwardBatch(1, List.of(f, f))))
                .isInstanceOf(RelayCodecException.class); // a relay twice
        assertThatThrownBy(() -> RelayCodec.encode(new ReplyBatch(
                        1, List.of(new Reply(1, 5, RelayStatus.COMMITTED), new Reply(1, 5, RelayStatus.ABORTED)))))
                .isInstanceOf(RelayCodecException.class);
        // a count over the limit is refused before anything of the batch is read
        byte[] frame = RelayCodec.encode(batch(1, 2, 1, 1));
        frame[10] = (byte) (RelayCodec.MAX_BATCH + 1);
        assertCode(frame, RelayCodecException.Code.TOO_LARGE);
        frame[10] = 0;
        assertCode(frame, RelayCodecException.Code.OUT_OF_RANGE);
    }

    @Test
    void aPathVisitsEachNodeOnceAForwardNamesEachUnitOnceAndABatchEachRelayOnce() {
        Forward ok = new Forward(
                1,
                9,
                10,
                List.of("A", "B", "C"),
                1,
                768,
                0,
                1,
                List.of(new UUID(7, 1), new UUID(7, 2), new UUID(7, 3)),
                new byte[96]);
        assertThat(RelayCodec.decode(RelayCodec.encode(new ForwardBatch(1, List.of(ok)))))
                .isNotNull();
        Forward loop = new Forward(1, 9, 10, List.of("A", "B", "C", "A"), 1, 768, 0, 1, ok.padUnits(), new byte[96]);
        assertCode(() -> RelayCodec.encode(new ForwardBatch(1, List.of(loop))), RelayCodecException.Code.OUT_OF_RANGE);
        Forward twice = new Forward(
                1,
                9,
                10,
                ok.path(),
                1,
                768,
                0,
                1,
                List.of(new UUID(7, 1), new UUID(7, 2), new UUID(7, 1)),
                new byte[96]);
        assertCode(() -> RelayCodec.encode(new ForwardBatch(1, List.of(twice))), RelayCodecException.Code.OUT_OF_RANGE);
        List<Forward> batch = new ArrayList<>();
        for (long r : new long[] {5, 3, 8, 1, 3}) {
            batch.add(new Forward(1, r, 10, ok.path(), 1, 768, 0, 1, ok.padUnits(), new byte[96]));
        }
        assertCode(() -> RelayCodec.encode(new ForwardBatch(1, batch)), RelayCodecException.Code.OUT_OF_RANGE);
        assertThat(RelayCodec.decode(RelayCodec.encode(new ForwardBatch(1, batch.subList(0, 4)))))
                .isNotNull();
    }

    private static void assertCode(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, RelayCodecException.Code code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        RelayCodecException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void theSenderFillsABatchExactlyUpToTheFrameLimit() {
        ForwardBatch big = batch(1, 16, 64, 32);
        int size = RelayCodec.forwardBytes(big.forwards().get(0));
        int n = 0;
        int bytes = 0;
        while (RelayCodec.fitsInBatch(n, bytes, size)) {
            n++;
            bytes += size;
        }
        ForwardBatch fitting = batch(n, 16, 64, 32);
        assertThat(RelayCodec.encode(fitting)).hasSizeLessThanOrEqualTo(RelayCodec.MAX_FRAME_BYTES);
        assertThat(RelayCodec.encode(fitting).length).isEqualTo(11 + n * size);
        int over = n + 1;
        assertThatThrownBy(() -> RelayCodec.encode(batch(over, 16, 64, 32))).isInstanceOf(RelayCodecException.class);
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
                .containsExactly(2, 4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, RelayStatus.ABORTED.ordinal());
    }

    @Test
    void malformedFramesAreRefusedWithTheirReason() {
        byte[] good = RelayCodec.encode(samples().get(0));
        assertCode(new byte[0], RelayCodecException.Code.TRUNCATED);
        assertCode(java.util.Arrays.copyOf(good, good.length - 1), RelayCodecException.Code.TRUNCATED);
        assertCode(java.util.Arrays.copyOf(good, good.length + 1), RelayCodecException.Code.TRAILING_BYTES);
        byte[] version = good.clone();
        version[0] = 1; // before key blocks
        assertCode(version, RelayCodecException.Code.UNSUPPORTED_VERSION);
        version[0] = 3;
        assertCode(version, RelayCodecException.Code.UNSUPPORTED_VERSION);
        byte[] type = good.clone();
        type[1] = 9;
        assertCode(type, RelayCodecException.Code.UNKNOWN_TYPE);
        assertCode(new byte[RelayCodec.MAX_FRAME_BYTES + 1], RelayCodecException.Code.TOO_LARGE);
    }

    @Test
    void fieldsOutsideTheirRangeAreRefusedOnBothSides() {
        List<UUID> one = List.of(new UUID(1, 1));
        assertThatThrownBy(() ->
                        RelayCodec.encode(new Forward(1, 1, 12, List.of("A", "B"), 2, 256, 0, 1, one, new byte[32])))
                .isInstanceOf(RelayCodecException.class); // hop beyond the path
        assertThatThrownBy(() ->
                        RelayCodec.encode(new Forward(1, 1, 14, List.of("A", "A"), 1, 256, 0, 1, one, new byte[32])))
                .isInstanceOf(RelayCodecException.class); // a loop
        assertThatThrownBy(() ->
                        RelayCodec.encode(new Forward(1, 1, 16, List.of("A", "B"), 1, 256, 0, 1, one, new byte[31])))
                .isInstanceOf(RelayCodecException.class); // ciphertext shorter than the key
        assertThatThrownBy(() ->
                        RelayCodec.encode(new Forward(1, 1, 18, List.of("A", "B"), 1, 256, 1, 1, one, new byte[32])))
                .isInstanceOf(RelayCodecException.class); // share index beyond the shares
        assertThatThrownBy(() ->
                        RelayCodec.encode(new Forward(1, 1, 20, List.of("A", "b c"), 1, 256, 0, 1, one, new byte[32])))
                .isInstanceOf(RelayCodecException.class); // node ID with a space
        assertThatThrownBy(() ->
                        RelayCodec.encode(new Forward(1, 1, -1, List.of("A", "B"), 1, 256, 0, 1, one, new byte[32])))
                .isInstanceOf(RelayCodecException.class); // a negative key block
        byte[] negativeKeyBlock =
                RelayCodec.encode(new Forward(1, 1, 2, List.of("A", "B"), 1, 256, 0, 1, one, new byte[32]));
        negativeKeyBlock[1 + 1 + 8 + 8] |= (byte) 0x80; // version, type, call ID, relay ID, then the key block
        assertCode(negativeKeyBlock, RelayCodecException.Code.OUT_OF_RANGE);
        List<String> longPath = new ArrayList<>();
        for (int i = 0; i <= RelayCodec.MAX_PATH_NODES; i++) {
            longPath.add("n" + i);
        }
        assertThatThrownBy(() -> RelayCodec.encode(new Abort(1, 1, 0, longPath, 1, List.of())))
                .isInstanceOf(RelayCodecException.class);
        assertThatThrownBy(() -> RelayCodec.encode(new Abort(
                        1, 1, 0, List.of("A", "B"), 1, Collections.nCopies(RelayCodec.MAX_UNITS + 1, new UUID(0, 0)))))
                .isInstanceOf(RelayCodecException.class);
    }

    @Test
    void leasesAreBoundedAndNameEachUnitOnce() {
        List<UUID> most = new ArrayList<>();
        for (int i = 0; i < RelayCodec.MAX_LEASE_UNITS; i++) {
            most.add(new UUID(7, i));
        }
        Lease largest = new Lease(1, 2, most, false);
        byte[] frame = RelayCodec.encode(largest);
        assertThat(frame.length).isLessThanOrEqualTo(RelayCodec.MAX_FRAME_BYTES);
        assertThat(RelayCodec.decode(frame)).isEqualTo(largest);
        List<UUID> tooMany = new ArrayList<>(most);
        tooMany.add(new UUID(8, 0));
        assertThatThrownBy(() -> RelayCodec.encode(new Lease(1, 2, tooMany, false)))
                .isInstanceOf(RelayCodecException.class);
        assertThatThrownBy(() -> RelayCodec.encode(new Lease(1, 2, List.of(), false)))
                .isInstanceOf(RelayCodecException.class);
        assertThatThrownBy(() -> RelayCodec.encode(new Lease(1, 2, List.of(new UUID(1, 1), new UUID(1, 1)), false)))
                .isInstanceOf(RelayCodecException.class);
        byte[] valid = RelayCodec.encode(new Lease(1, 2, List.of(new UUID(1, 1)), true));
        byte[] badMode = valid.clone();
        badMode[18] = 3; // version, type, call ID (8), lease ID (8), then the mode
        assertCode(badMode, RelayCodecException.Code.OUT_OF_RANGE);
        Lease refill = new Lease(1, 2, List.of(new UUID(1, 1)), false, 4096);
        assertThat(RelayCodec.decode(RelayCodec.encode(refill))).isEqualTo(refill);
        byte[] negativeEnd = RelayCodec.encode(refill);
        negativeEnd[19] = (byte) 0x80; // the pool's end, right after the mode
        assertCode(negativeEnd, RelayCodecException.Code.OUT_OF_RANGE);
        byte[] cutEnd = Arrays.copyOf(valid, 19);
        cutEnd[18] = 2; // a refill whose pool end is missing
        assertCode(cutEnd, RelayCodecException.Code.TRUNCATED);
        assertThatThrownBy(() -> new Lease(1, 2, List.of(new UUID(1, 1)), true, 0))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] poolEnd = RelayCodec.encode(new RelayMessage.PoolEnd(3, 64));
        poolEnd[10] = (byte) 0x80; // the end, right after the call ID
        assertCode(poolEnd, RelayCodecException.Code.OUT_OF_RANGE);
        assertThatThrownBy(() -> RelayCodec.encode(new RelayMessage.PoolEnd(3, -1)))
                .isInstanceOf(RelayCodecException.class);
        byte[] hugeCount = valid.clone();
        hugeCount[19] = (byte) 0xFF; // n = 0xFF01: more than a lease holds, checked before reading
        assertCode(hugeCount, RelayCodecException.Code.TOO_LARGE);
    }

    private static void assertCode(byte[] frame, RelayCodecException.Code code) {
        assertThatThrownBy(() -> RelayCodec.decode(frame))
                .isInstanceOfSatisfying(
                        RelayCodecException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
