package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hotaru.reliability.figures.ReliabilityFigures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key store on a disk that fills up: a small tmpfs mounted for the test holds the store and a
 * ballast file. Blocks are ingested until the disk is full; then:
 *
 * <ul>
 *   <li>the block that did not fit fails with {@link KeyManagerException.Code#STORAGE}, a message
 *       naming the store file, and leaves no unit of it behind (nor its block marked seen);
 *   <li>every unit stored before is still there, intact (its digest) and in its state;
 *   <li>deliveries on a full disk either complete or fail with nothing consumed;
 *   <li>once space is freed (the ballast removed) the same block is ingested, every key is
 *       delivered exactly once with the material that went in, and a reopened store agrees.
 * </ul>
 *
 * <p>Mounting needs root (as in CI); elsewhere the test is skipped and says so. Repeated
 * {@code hotaru.disk.fills} times (1 in every build, more in the reliability profiles), each on a
 * fresh mount.
 */
class KeyStoreFullDiskIT {
    private static final String LINK = "full-disk";
    private static final int FILLS = ReliabilityFigures.count("hotaru.disk.fills", 1);
    private static final int DISK_BYTES = 8 << 20;
    /** More than the store holds when the disk fills, so that removing it leaves room to checkpoint. */
    private static final int BALLAST_BYTES = 9 << 19;

    private static final int BLOCK_UNITS = 256;

    @TempDir
    Path dir;

    private Path mount;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = dir.resolve("disk");
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + DISK_BYTES, "tmpfs", mount.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        boolean mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(
                mounted,
                "full-disk test skipped: cannot mount a " + DISK_BYTES + "-byte tmpfs (needs root): " + output);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString())
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("reliability")
    void aFullDiskLosesNoKeyAndTheStoreRecoversWhenSpaceIsFreed() throws Exception {
        for (int fill = 0; fill < FILLS; fill++) {
            if (fill > 0) {
                unmount();
                mountSmallDisk();
            }
            fillAndRecover(new Random(100 + fill));
        }
        ReliabilityFigures.record("disk_full_faults", "kme-store", FILLS);
    }

    private void fillAndRecover(Random random) throws IOException {
        Path db = mount.resolve("keys.db");
        Path ballast = mount.resolve("ballast");
        Files.write(ballast, new byte[BALLAST_BYTES]);
        List<byte[]> blocks = new ArrayList<>();
        byte[] refused;
        KeyManagerException full;
        try (KeyStore store = KeyStore.open(db, MasterKey.of(masterKey()))) {
            while (true) {
                byte[] material = new byte[BLOCK_UNITS * KeyStore.KEY_BYTES];
                random.nextBytes(material);
                long blockId = blocks.size();
                KeyManagerException e = catchThrowableOfType(
                        () -> store.ingest(LINK, blockId, material.clone()), KeyManagerException.class);
                if (e != null) {
                    refused = material;
                    full = e;
                    break;
                }
                blocks.add(material);
                assertThat(blocks.size())
                        .as("blocks stored on a %d-byte disk", DISK_BYTES)
                        .isLessThan(1000);
            }
            assertThat(full.code()).isEqualTo(KeyManagerException.Code.STORAGE);
            assertThat(full.getMessage()).contains("keys.db");
            assertThat(blocks).as("blocks stored before the disk filled").isNotEmpty();
            assertThat(store.counts(LINK).available())
                    .as("units after the refused block")
                    .isEqualTo((long) blocks.size() * BLOCK_UNITS);

            // A delivery on the full disk completes or consumes nothing.
            UUID first = KeyIds.derive(LINK, 0, 0);
            try (Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of("sae-b"), List.of())) {
                store.confirmMasterDelivery(r);
            } catch (KeyManagerException e) {
                assertThat(e.code()).isEqualTo(KeyManagerException.Code.STORAGE);
                assertThat(store.stateOf(first)).contains(KeyState.AVAILABLE);
            }
        }

        Files.delete(ballast);
        try (KeyStore store = KeyStore.open(db, MasterKey.of(masterKey()))) {
            int blockId = blocks.size();
            assertThat(store.ingest(LINK, blockId, refused.clone()))
                    .as("the refused block once space is free")
                    .isEqualTo(BLOCK_UNITS);
            blocks.add(refused);
            for (int b = 0; b < blocks.size(); b++) {
                for (int u = 0; u < BLOCK_UNITS; u++) {
                    UUID id = KeyIds.derive(LINK, b, u);
                    byte[] expected =
                            Arrays.copyOfRange(blocks.get(b), u * KeyStore.KEY_BYTES, (u + 1) * KeyStore.KEY_BYTES);
                    KeyState state = store.stateOf(id).orElseThrow(() -> new AssertionError("unit " + id + " lost"));
                    if (state == KeyState.AVAILABLE) {
                        deliverOnce(store, id, expected);
                    } else {
                        // only the key reserved on the full disk may have left AVAILABLE
                        assertThat(id).isEqualTo(KeyIds.derive(LINK, 0, 0));
                    }
                }
            }
            assertThat(store.counts(LINK).available()).isZero();
        }
    }

    private static void deliverOnce(KeyStore store, UUID id, byte[] expected) {
        try (Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of("sae-b"), List.of())) {
            assertThat(r.keyIds()).containsExactly(id);
            store.confirmMasterDelivery(r);
        }
        try (KeyBatch batch = store.deliver(List.of(id), "sae-b", "sae-a")) {
            assertThat(batch.keys()).hasSize(1);
            assertThat(batch.keys().get(0).material()).isEqualTo(expected);
        }
        assertThat(catchThrowableOfType(() -> store.deliver(List.of(id), "sae-b", "sae-a"), KeyManagerException.class))
                .as("key %s a second time", id)
                .isNotNull();
    }

    private static byte[] masterKey() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0x5a);
        return key;
    }
}
