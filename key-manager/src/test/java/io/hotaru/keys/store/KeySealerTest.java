package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One sealer reuses its cipher and MAC for every unit: units must not bleed into each other. */
class KeySealerTest {
    private final KeySealer sealer = new KeySealer(MasterKey.of(MasterKeyTest.filled((byte) 9)));

    @Test
    void unitsSealedInTurnOpenInAnyOrder() {
        Random random = new Random(7);
        List<byte[]> plaintexts = new ArrayList<>();
        List<KeySealer.Sealed> sealed = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] unit = new byte[KeyStore.KEY_BYTES];
            random.nextBytes(unit);
            UUID id = new UUID(random.nextLong(), random.nextLong());
            plaintexts.add(unit);
            ids.add(id);
            sealed.add(sealer.seal(id, unit));
        }
        for (int i = 19; i >= 0; i--) {
            assertThat(sealer.open(ids.get(i), sealed.get(i))).isEqualTo(plaintexts.get(i));
        }
        assertThat(sealed.get(0).nonce()).isNotEqualTo(sealed.get(1).nonce());
        assertThat(sealed.get(0).digest()).isNotEqualTo(sealed.get(1).digest());
    }

    @Test
    void aFailedOpenLeavesTheSealerUsable() {
        UUID id = UUID.randomUUID();
        byte[] unit = new byte[KeyStore.KEY_BYTES];
        unit[3] = 42;
        KeySealer.Sealed good = sealer.seal(id, unit);
        byte[] tampered = good.ciphertext().clone();
        tampered[0] ^= 1;
        assertThatThrownBy(() -> sealer.open(id, new KeySealer.Sealed(good.nonce(), tampered, good.digest())))
                .isInstanceOf(KeyManagerException.class);
        assertThatThrownBy(() -> sealer.open(UUID.randomUUID(), good)).isInstanceOf(KeyManagerException.class);
        assertThat(sealer.open(id, good)).isEqualTo(unit);
    }

    @Test
    void aWipedSealerNoLongerOpensWhatItSealed() {
        UUID id = UUID.randomUUID();
        KeySealer.Sealed sealed = sealer.seal(id, new byte[KeyStore.KEY_BYTES]);
        sealer.wipe();
        assertThatThrownBy(() -> sealer.open(id, sealed)).isInstanceOf(KeyManagerException.class);
    }
}
