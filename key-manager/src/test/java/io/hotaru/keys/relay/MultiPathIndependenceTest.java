package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.relay.RelayMessage.Forward;
import io.hotaru.keys.relay.codec.RelayCodec;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.Reservation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trusted node on one route of a multi-path relay learns nothing about the key.
 *
 * <p>The argument, made executable in two steps. (1) What the node sees of the relay — the pads of
 * its two hops (its link keys) and the two ciphertexts — is a function of its share S and the pads
 * alone: c_in = S ⊕ p_in, c_out = S ⊕ p_out (checked on the real protocol, frames captured on the
 * wire). The pads are link key, independent of the key K. (2) S has the same distribution for every
 * K: checked exhaustively for one-byte keys over every value of the splitting randomness, for two
 * and three shares. Hence the node's view has the same distribution whatever K is.
 */
class MultiPathIndependenceTest {
    @TempDir
    Path dir;

    /** A Random whose nextBytes yields the bytes of a counter: enumerates the split's randomness. */
    private static final class Enumerated extends Random {
        private final byte[] values;
        private int next;

        void rewind() {
            next = 0;
        }

        Enumerated(byte... values) {
            this.values = values;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = values[next++];
            }
        }
    }

    @Test
    void everyShareOfEveryOneByteKeyIsUniformOverTheSplittingRandomness() {
        for (int shares = 2; shares <= 3; shares++) {
            int randomnessValues = 1 << (8 * (shares - 1));
            int[][][] histogram = new int[shares][256][256]; // [share][key][share value]
            byte[] randomness = new byte[shares - 1];
            byte[] key = new byte[1];
            Enumerated enumerated = new Enumerated(randomness);
            for (int k = 0; k < 256; k++) {
                key[0] = (byte) k;
                for (int r = 0; r < randomnessValues; r++) {
                    for (int i = 0; i < randomness.length; i++) {
                        randomness[i] = (byte) (r >>> (8 * i));
                    }
                    enumerated.rewind();
                    byte[][] split = XorShares.split(key, shares, enumerated);
                    byte combined = 0;
                    for (int share = 0; share < shares; share++) {
                        histogram[share][k][split[share][0] & 0xFF]++;
                        combined ^= split[share][0];
                    }
                    if ((combined & 0xFF) != k) {
                        throw new AssertionError("shares of key " + k + " combine to " + (combined & 0xFF));
                    }
                }
            }
            int uniform = randomnessValues / 256;
            for (int share = 0; share < shares; share++) {
                for (int k = 0; k < 256; k++) {
                    assertThat(histogram[share][k])
                            .as("share %d of %d for key %d", share, shares, k)
                            .containsOnly(uniform);
                }
            }
        }
    }

    @Test
    void theIntermediateNodesViewIsItsShareUnderItsOwnPads() throws Exception {
        try (RelayNetwork net = new RelayNetwork(dir, 31)) {
            net.node("O").node("Ha").node("Ho");
            net.link("O", "Ha", 16).link("Ha", "Ho", 16).link("O", "Ho", 16);
            TappedWire[] intoHa = new TappedWire[1];
            TappedWire[] outOfHa = new TappedWire[1];
            InMemoryWire oHa = new InMemoryWire();
            net.connect("Ha", "O", (self, peer) -> {
                if (self.equals("O")) {
                    return intoHa[0] = new TappedWire(oHa.endA());
                }
                return oHa.endB();
            });
            InMemoryWire haHo = new InMemoryWire();
            net.connect(
                    "Ha",
                    "Ho",
                    (self, peer) -> self.equals("Ha") ? (outOfHa[0] = new TappedWire(haHo.endA())) : haHo.endB());
            net.converge();

            RelayOutcome o = net.at("O").relayShares("Ho", 256, 2, RoutePolicy.any());
            assertThat(o.status()).isEqualTo(RelayStatus.COMMITTED);
            assertThat(o.paths()).contains(List.of("O", "Ha", "Ho"));

            Forward in = onlyForward(intoHa[0].sent);
            Forward out = onlyForward(outOfHa[0].sent);
            byte[] shareIn =
                    xor(in.ciphertext(), net.unitMaterial.get(in.padUnits().get(0)));
            byte[] shareOut =
                    xor(out.ciphertext(), net.unitMaterial.get(out.padUnits().get(0)));
            assertThat(shareOut)
                    .as("the node forwards its share under a fresh pad")
                    .isEqualTo(shareIn);
            assertThat(out.padUnits()).doesNotContainAnyElementsOf(in.padUnits());

            byte[] key;
            try (Reservation r = net.storeOf("O")
                    .reserve(RelayNode.endToEndLink("O", "Ho"), 1, 256, "test-sae", List.of(), List.of())) {
                key = r.keys().keys().get(0).material().clone();
            }
            assertThat(shareIn).as("the share is not the key").isNotEqualTo(key);
            assertThat(key).hasSize(KeyStore.KEY_BYTES);
            // the whole view (pads, ciphertexts) is determined by the share and the pads:
            assertThat(xor(shareIn, net.unitMaterial.get(in.padUnits().get(0)))).isEqualTo(in.ciphertext());
            assertThat(RelayHistoryChecker.check(net)).isEmpty();
        }
    }

    private static Forward onlyForward(List<byte[]> frames) {
        List<Forward> forwards = frames.stream()
                .filter(f -> !LinkAuthenticator.isHello(f))
                .map(f -> RelayCodec.decode(Arrays.copyOfRange(f, LinkAuthenticator.HEADER_BYTES, f.length)))
                .flatMap(m -> m instanceof RelayMessage.ForwardBatch b
                        ? b.forwards().stream()
                        : m instanceof Forward f ? java.util.stream.Stream.of(f) : java.util.stream.Stream.empty())
                .toList();
        assertThat(forwards).hasSize(1);
        return forwards.get(0);
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = a.clone();
        XorShares.xorInto(out, b);
        return out;
    }
}
