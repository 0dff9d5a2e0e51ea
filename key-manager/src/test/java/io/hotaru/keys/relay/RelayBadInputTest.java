package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.store.KeyCounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames injected on the wire into B, on the line A–B–C: a forged, replayed, malformed or
 * oversized relay frame is refused before it is decoded or acted on. B's key store and journal do
 * not change; the channel it came on closes (the first bad frame ends a Wegman–Carter channel), and
 * a reconnected channel relays again.
 */
class RelayBadInputTest {
    @TempDir
    Path dir;

    private RelayNetwork net;
    private TappedWire aEnd;
    private TappedWire bEnd;

    @BeforeEach
    void line() throws Exception {
        net = new RelayNetwork(dir, 51);
        net.node("A").node("B").node("C");
        net.link("A", "B", 16).link("B", "C", 16);
        InMemoryWire wire = new InMemoryWire();
        net.connect("A", "B", (self, peer) -> {
            if (self.equals("A")) {
                return aEnd = new TappedWire(wire.endA());
            }
            return bEnd = new TappedWire(wire.endB());
        });
        net.converge();
        assertThat(net.at("A").relay("C", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
    }

    @AfterEach
    void checkHistoryAndClose() throws InterruptedException {
        RelayHistoryChecker.checkAndClose(net);
    }

    /** B's observable state: its journal and the counts of every link it holds. */
    private Map<String, Object> stateOfB() {
        Map<String, Object> state = new TreeMap<>();
        state.put("journal", net.journals.get("B").events());
        for (String link : List.of("A-B", "B-C", RelayNode.endToEndLink("A", "C"))) {
            KeyCounts counts = net.storeOf("B").counts(link);
            state.put(link, counts);
        }
        return state;
    }

    private byte[] lastForwardFromA() {
        List<byte[]> forwards = new ArrayList<>();
        for (byte[] f : aEnd.sent) {
            if (CuttableWire.FORWARD.test(f)) {
                forwards.add(f);
            }
        }
        return forwards.get(forwards.size() - 1);
    }

    private void assertRefusedWithoutStateChange(UnaryOperator<byte[]> attack) throws Exception {
        Map<String, Object> before = stateOfB();
        bEnd.inject(attack.apply(lastForwardFromA()));
        assertThat(net.at("B").linkStates()).anyMatch(l -> l.peer().equals("A") && !l.up());
        assertThat(stateOfB()).isEqualTo(before);
        net.connect("A", "B");
        net.converge();
        assertThat(net.at("A").relay("C", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.COMMITTED);
    }

    @Test
    void aReplayedForwardIsRefused() throws Exception {
        assertRefusedWithoutStateChange(frame -> frame);
    }

    @Test
    void aForwardWithOneBitFlippedIsRefused() throws Exception {
        assertRefusedWithoutStateChange(frame -> {
            byte[] forged = frame.clone();
            forged[forged.length - 1] ^= 1; // the ciphertext
            return forged;
        });
    }

    @Test
    void aForwardWhoseKeyBlockIsOnTheOtherEndsSideIsRefused() {
        Map<String, Object> before = stateOfB();
        RelayPeer toB = net.at("A").channelTo("B").orElseThrow();
        // A sorts before C, so the blocks of A's relays to C end in a 0 bit; 1 is C's side
        long cSide = io.hotaru.keys.store.KeyIds.relayedBlock(System.currentTimeMillis(), 0, 1);
        RelayMessage.Reply reply = toB.call(new RelayMessage.Forward(
                toB.nextCallId(),
                12_345,
                cSide,
                List.of("A", "B", "C"),
                1,
                256,
                0,
                1,
                List.of(new java.util.UUID(1, 2)),
                new byte[32]));
        assertThat(reply.status()).isEqualTo(RelayStatus.IN_DOUBT);
        assertThat(stateOfB()).isEqualTo(before);
    }

    @Test
    void anAbortWhoseKeyBlockIsOnTheOtherEndsSideIsRefused() {
        Map<String, Object> before = stateOfB();
        RelayPeer toB = net.at("A").channelTo("B").orElseThrow();
        long cSide = io.hotaru.keys.store.KeyIds.relayedBlock(System.currentTimeMillis(), 0, 1);
        RelayMessage.Reply reply =
                toB.call(new RelayMessage.Abort(toB.nextCallId(), 12_345, cSide, List.of("A", "B", "C"), 1, List.of()));
        assertThat(reply.status()).isEqualTo(RelayStatus.IN_DOUBT);
        assertThat(stateOfB()).isEqualTo(before);
    }

    @Test
    void aTruncatedFrameIsRefused() throws Exception {
        assertRefusedWithoutStateChange(frame -> java.util.Arrays.copyOf(frame, 10));
    }

    @Test
    void anOversizedFrameIsRefused() throws Exception {
        assertRefusedWithoutStateChange(frame -> java.util.Arrays.copyOf(frame, 1 << 20));
    }
}
