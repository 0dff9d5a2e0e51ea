package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path dir;

    @Test
    void createsAnOwnerOnlyFileAndLoadsTheSameKeyBack() throws Exception {
        Path file = dir.resolve("sub/master.key");
        byte[] first;
        try (MasterKey key = MasterKey.loadOrCreate(file)) {
            first = key.bytes().clone();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.size(file)).isEqualTo(MasterKey.LENGTH);
        try (MasterKey again = MasterKey.loadOrCreate(file)) {
            assertThat(again.bytes()).isEqualTo(first);
            assertThat(again.toString()).doesNotContain(Byte.toString(first[0]));
        }
    }

    @Test
    void refusesAGroupReadableFileNamingTheFileAndTheFix() throws Exception {
        Path file = dir.resolve("master.key");
        MasterKey.loadOrCreate(file).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> MasterKey.loadOrCreate(file))
                .isInstanceOf(KeyManagerException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("chmod 600")
                .extracting(e -> ((KeyManagerException) e).code())
                .isEqualTo(KeyManagerException.Code.INSECURE_FILE);
    }

    @Test
    void refusesAFileOfTheWrongLength() throws Exception {
        Path file = dir.resolve("short.key");
        Files.write(file, new byte[7]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> MasterKey.loadOrCreate(file)).hasMessageContaining("7 bytes");
    }

    @Test
    void closeWipesTheKey() {
        MasterKey key = MasterKey.of(filled((byte) 0x5a));
        byte[] inside = key.bytes();
        key.close();
        assertThat(inside).containsOnly((byte) 0);
        assertThatThrownBy(key::bytes).isInstanceOf(KeyManagerException.class);
    }

    static byte[] filled(byte value) {
        byte[] bytes = new byte[MasterKey.LENGTH];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }
}
