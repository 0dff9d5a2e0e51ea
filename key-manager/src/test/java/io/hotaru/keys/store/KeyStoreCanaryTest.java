package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key material never reaches the database file or its WAL in clear. */
class KeyStoreCanaryTest {
    private static final int WINDOW = 8;

    @TempDir
    Path dir;

    @Test
    void canaryNeverAppearsInTheDatabaseOrWal() throws Exception {
        byte[] canary = new byte[64 * KeyStore.KEY_BYTES];
        for (int i = 0; i < canary.length; i++) {
            canary[i] = (byte) (0xC0 ^ (i * 7)); // distinctive, no 8-byte window repeats zero-ish data
        }
        Path db = dir.resolve("kme.db");
        Path wal = dir.resolve("kme.db-wal");
        try (KeyStore store = KeyStore.open(db, MasterKey.of(MasterKeyTest.filled((byte) 3)))) {
            store.ingest("link", 1, canary.clone());
            assertThat(wal).exists();
            assertNoWindowOf(canary, db, wal);

            try (Reservation r = store.reserve("link", 64, 256, "sae-a", List.of(), List.of())) {
                store.confirmMasterDelivery(r);
                assertThat(r.keys().keys().get(5).material())
                        .isEqualTo(Arrays.copyOfRange(canary, 5 * KeyStore.KEY_BYTES, 6 * KeyStore.KEY_BYTES));
            }
            assertNoWindowOf(canary, db, wal);
        }
        assertNoWindowOf(canary, db, wal);
    }

    @Test
    void theScannerFindsMaterialThatIsThere() {
        byte[] canary = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        byte[] haystack = {0, 0, 2, 3, 4, 5, 6, 7, 8, 9, 0};
        assertThat(containsAnyWindow(haystack, canary)).isTrue();
        assertThat(containsAnyWindow(new byte[20], canary)).isFalse();
    }

    private static void assertNoWindowOf(byte[] canary, Path... files) throws Exception {
        for (Path file : files) {
            if (Files.exists(file)) {
                assertThat(containsAnyWindow(Files.readAllBytes(file), canary))
                        .as("clear key material in %s", file)
                        .isFalse();
            }
        }
    }

    /** True if any {@value #WINDOW}-byte slice of the canary occurs in the haystack. */
    static boolean containsAnyWindow(byte[] haystack, byte[] canary) {
        for (int start = 0; start + WINDOW <= canary.length; start++) {
            byte[] needle = Arrays.copyOfRange(canary, start, start + WINDOW);
            for (int i = 0; i + WINDOW <= haystack.length; i++) {
                if (Arrays.equals(haystack, i, i + WINDOW, needle, 0, WINDOW)) {
                    return true;
                }
            }
        }
        return false;
    }
}
