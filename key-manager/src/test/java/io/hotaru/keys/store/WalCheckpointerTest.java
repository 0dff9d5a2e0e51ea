package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpointer copies committed WAL frames into the database file while the writer keeps its transaction. */
class WalCheckpointerTest {
    @TempDir
    Path dir;

    @Test
    void copiesCommittedFramesIntoTheDatabaseFileWithoutTheWritersHelp() throws Exception {
        Path db = dir.resolve("c.db");
        Connection writer = StoreSchema.open(db);
        WalCheckpointer checkpointer = new WalCheckpointer("c.db", db, 10);
        try {
            try (Statement st = writer.createStatement()) {
                for (int block = 0; block < 200; block++) {
                    st.executeUpdate("INSERT INTO block (link_id, block_id, key_count, ingested_at)" + " VALUES ('ab', "
                            + block + ", 1, 0)");
                }
            }
            writer.commit(); // the driver opens the next transaction at once, as the store's writer does
            assertThat(checkpointer.framesCopied()).isZero();

            checkpointer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (checkpointer.framesCopied() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(checkpointer.checkpoints())
                    .as("a checkpoint within 30 s")
                    .isPositive();
        } finally {
            checkpointer.stop();
        }

        // the database file alone, without its WAL, now holds the committed rows
        Path copy = dir.resolve("copy.db");
        Files.copy(db, copy);
        try (Connection read = DriverManager.getConnection("jdbc:sqlite:" + copy);
                Statement st = read.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM block")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(200);
        }
        writer.close();
    }
}
