package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockWithdrawalTest {
    private static final String LINK = "A-B";

    @TempDir
    Path dir;

    private KeyStore store;

    @BeforeEach
    void open() {
        store = KeyStore.open(dir.resolve("keys.db"), MasterKey.of(MasterKeyTest.filled((byte) 3)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void ingest(long block, int units) {
        byte[] key = new byte[units * KeyStore.KEY_BYTES];
        java.util.Arrays.fill(key, (byte) block);
        assertThat(store.ingest(LINK, block, key)).isEqualTo(units);
    }

    @Test
    void theBlocksAfterTheGivenOneAreErasedAndForgotten() {
        assertThat(store.lastStoredBlock(LINK)).isEqualTo(-1);
        ingest(10, 3);
        ingest(11, 2);
        ingest(12, 4);
        assertThat(store.lastStoredBlock(LINK)).isEqualTo(12);

        BlockWithdrawal.Result r = store.withdrawBlocksAfter(LINK, 10);
        assertThat(r).isEqualTo(new BlockWithdrawal.Result(2, 6, 0));
        assertThat(store.lastStoredBlock(LINK)).isEqualTo(10);
        assertThat(store.availableCount(LINK)).isEqualTo(3);
        assertThat(store.heldKeyIds(LINK)).hasSize(3);
        assertThat(store.withdrawBlocksAfter(LINK, 10)).isEqualTo(new BlockWithdrawal.Result(0, 0, 0));
        assertThat(store.lastStoredBlock("other")).isEqualTo(-1);
    }

    /** The units of the blocks withdrawn are found by their IDs: no statement reads the whole store. */
    @Test
    void aWithdrawalReadsTheBlocksWithdrawnNotTheStore() throws Exception {
        for (long block = 1; block <= 5; block++) {
            ingest(block, 8);
        }
        assertThat(store.withdrawBlocksAfter(LINK, 3)).isEqualTo(new BlockWithdrawal.Result(2, 16, 0));
        assertThat(store.heldKeyIds(LINK)).hasSize(24);
        List<String> sql = store.runOnWriter(() -> store.table().preparedSql());
        assertThat(sql).anyMatch(q -> q.contains("key_id = +? AND link_id = +? AND block_id = +?"));
        for (String q : sql) {
            assertThat(KeyTableStatementsTest.plan(dir.resolve("keys.db"), q))
                    .as("plan of %s", q)
                    .noneMatch(step -> step.matches("^SCAN \\w+$"));
        }
    }

    /** A block whose unit the store lacks is not withdrawn at all: the store fails closed. */
    @Test
    void aBlockWithAUnitMissingIsNotWithdrawnAtAll() {
        ingest(30, 1);
        ingest(31, 3);
        store.runOnWriter(() -> {
            try (java.sql.Statement st = store.connection().createStatement()) {
                return st.executeUpdate("DELETE FROM stored_key WHERE key_id = '" + KeyIds.derive(LINK, 31, 1) + "'");
            }
        });
        assertThat(store.withdrawBlocksAfter(LINK, 30)).isEqualTo(new BlockWithdrawal.Result(1, 0, 1));
        assertThat(store.lastStoredBlock(LINK)).isEqualTo(31);
        assertThat(store.availableCount(LINK)).isEqualTo(3);
    }

    @Test
    void aBlockWithAUnitInUseIsNotWithdrawnAtAll() {
        ingest(20, 1);
        ingest(21, 2);
        // the oldest units go first: take block 20's and one of block 21's
        try (Reservation r = store.reserve(LINK, 2, 256, "sae-a", List.of(), List.of())) {
            BlockWithdrawal.Result result = store.withdrawBlocksAfter(LINK, 20);
            assertThat(result.blocks()).isEqualTo(1);
            assertThat(result.unitsErased()).isZero();
            assertThat(result.unitsInUse()).isEqualTo(1);
            assertThat(store.lastStoredBlock(LINK)).isEqualTo(21);
            assertThat(store.availableCount(LINK)).isEqualTo(1);
        }
    }
}
