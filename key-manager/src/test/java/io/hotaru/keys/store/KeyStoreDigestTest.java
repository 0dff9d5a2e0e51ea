package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreDigestTest {

    @TempDir
    Path dir;

    @Test
    void storesWithTheSameBlocksHaveTheSameDigestUnderDifferentMasterKeys() {
        byte[] block = new byte[32 * 5];
        new SplittableRandom(3).nextBytes(block);
        try (KeyStore a = open("a", 1);
                KeyStore b = open("b", 2)) {
            a.ingest("l", 0, block.clone());
            b.ingest("l", 0, block.clone());
            List<UUID> ids = a.heldKeyIds("l");
            assertThat(ids).hasSize(5).isSorted().isEqualTo(b.heldKeyIds("l"));
            assertThat(a.digest(ids)).isEqualTo(b.digest(ids)).hasSize(32);

            byte[] other = block.clone();
            other[40] ^= 1;
            try (KeyStore c = open("c", 3)) {
                c.ingest("l", 0, other);
                assertThat(c.digest(ids)).isNotEqualTo(a.digest(ids));
            }
        }
    }

    @Test
    void digestOfAKeyNotHeldFails() {
        try (KeyStore a = open("a", 1)) {
            assertThatThrownBy(() -> a.digest(List.of(UUID.randomUUID())))
                    .isInstanceOf(KeyManagerException.class)
                    .hasMessageContaining("not held");
        }
    }

    private KeyStore open(String name, int seed) {
        byte[] mk = new byte[32];
        Arrays.fill(mk, (byte) seed);
        try (MasterKey master = MasterKey.of(mk)) {
            return KeyStore.open(dir.resolve(name + ".db"), master);
        }
    }
}
