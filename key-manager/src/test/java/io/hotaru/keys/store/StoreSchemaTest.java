package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store file's schema: a file of an older version opens, migrated, with its keys and pickups. */
class StoreSchemaTest {
    private static final String LINK = "link-ab";

    @TempDir
    Path dir;

    @Test
    void aVersion2FileIsMigratedKeepingItsReservations() throws Exception {
        Path file = dir.resolve("kme-a.db");
        MasterKey masterKey = MasterKey.of(MasterKeyTest.filled((byte) 3));
        byte[] block = KeyStoreTest.block(5, 4);
        List<UUID> reserved;
        try (KeyStore store = KeyStore.open(file, masterKey)) {
            store.ingest(LINK, 1, block);
            try (Reservation r = store.reserve(LINK, 2, 256, "sae-a", List.of("sae-b"), List.of())) {
                reserved = r.keyIds();
            }
        }
        downgradeToVersion2(file);
        assertThat(schema(file)).noneMatch(sql -> sql.contains("WITHOUT ROWID"));

        try (KeyStore store = KeyStore.open(file, masterKey)) {
            assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(2, 2, 0, 0));
            try (KeyBatch keys = store.deliver(reserved, "sae-b", "sae-a")) {
                assertThat(keys.keys().get(0).material()).isEqualTo(KeyStoreTest.keyOf(block, 0));
                assertThat(keys.keys().get(1).material()).isEqualTo(KeyStoreTest.keyOf(block, 1));
            }
            // the master's pickups survived too: the keys stay reserved until it has them
            assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(2, 2, 0, 0));
            try (Reservation more = store.reserve(LINK, 2, 256, "sae-a", List.of(), List.of())) {
                assertThat(more.keys().keys().get(0).material()).isEqualTo(KeyStoreTest.keyOf(block, 2));
            }
        }
        assertThat(userVersion(file)).isEqualTo(StoreSchema.VERSION);
        assertThat(schema(file))
                .noneMatch(sql -> sql.contains(StoreSchema.OLD_LINK_STATE_INDEX))
                .anyMatch(sql -> sql.contains(StoreSchema.HELD_INDEX))
                .anyMatch(sql -> sql.matches("(?s)CREATE TABLE \"?pickup\"? .*WITHOUT ROWID"))
                .anyMatch(sql -> sql.contains("stored_key_reserved_by_expiry") && sql.contains("WHERE state"))
                .noneMatch(sql -> sql.contains("stored_key_by_expiry"))
                .anyMatch(sql -> sql.contains("CREATE TABLE store_meta"))
                .anyMatch(sql -> sql.contains("CREATE TABLE stored_key") && sql.contains("announced"));
    }

    @Test
    void aNewStoreTakesFourKibPagesAndAnExistingOneKeepsItsOwn() throws Exception {
        MasterKey masterKey = MasterKey.of(MasterKeyTest.filled((byte) 3));
        byte[] block = KeyStoreTest.block(5, 4);
        Path fresh = dir.resolve("fresh.db");
        try (KeyStore store = KeyStore.open(fresh, masterKey)) {
            store.ingest(LINK, 1, block);
        }
        assertThat(pragma(fresh, "page_size"))
                .isEqualTo(StoreSchema.NEW_STORE_PAGE_BYTES)
                .isEqualTo(4096);

        // a store file made before, with the 1 KiB pages of earlier versions, in WAL mode
        Path old = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
                Statement st = c.createStatement()) {
            st.execute("PRAGMA page_size = 1024");
            st.executeQuery("PRAGMA journal_mode = WAL").close();
            st.executeUpdate("CREATE TABLE earlier (x INTEGER)");
        }
        try (KeyStore store = KeyStore.open(old, masterKey)) {
            store.ingest(LINK, 1, block);
            try (Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of("sae-b"), List.of());
                    KeyBatch keys = store.deliver(r.keyIds(), "sae-b", "sae-a")) {
                assertThat(keys.keys().get(0).material()).isEqualTo(KeyStoreTest.keyOf(block, 0));
            }
        }
        assertThat(pragma(old, "page_size")).isEqualTo(1024);
        assertThat(pragma(old, "user_version")).isEqualTo(StoreSchema.VERSION);
    }

    private static int pragma(Path file, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.getInt(1);
        }
    }

    /** Version 10's addition undone: the units burned before they arrived. */
    static void toVersion9(Statement st) throws SQLException {
        st.executeUpdate("DROP TABLE " + StoreSchema.BURNED_AHEAD);
    }

    /** Versions 9 and 10's additions undone: the relayed forgotten marks and the blocks' forgotten units. */
    static void toVersion8(Statement st) throws SQLException {
        toVersion9(st);
        st.executeUpdate("DROP TABLE " + StoreSchema.RELAYED_FORGOTTEN_MARK);
        st.executeUpdate("ALTER TABLE block DROP COLUMN forgotten_units");
    }

    /** Undoes a later schema's additions. */
    interface Downgrade {
        void apply(Statement st) throws SQLException;
    }

    /** A store file of one block of four units of {@link #LINK}, taken back to schema {@code version}. */
    private static void storeOfOneBlockAtVersion(Path file, MasterKey masterKey, int version, Downgrade downgrade)
            throws SQLException {
        try (KeyStore store = KeyStore.open(file, masterKey)) {
            store.ingest(LINK, 1, KeyStoreTest.block(5, 4));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            downgrade.apply(st);
            st.executeUpdate("PRAGMA user_version = " + version);
        }
    }

    @Test
    void aVersion9FileRemembersBurnsAheadOnceMigrated() throws Exception {
        Path file = dir.resolve("kme-9.db");
        MasterKey masterKey = MasterKey.of(MasterKeyTest.filled((byte) 3));
        storeOfOneBlockAtVersion(file, masterKey, 9, StoreSchemaTest::toVersion9);
        assertThat(schema(file)).noneMatch(sql -> sql.contains(StoreSchema.BURNED_AHEAD));

        try (KeyStore store = KeyStore.open(file, masterKey)) {
            assertThat(store.burn(LINK, List.of(KeyIds.derive(LINK, 2, 0)))).isZero();
            store.ingest(LINK, 2, KeyStoreTest.block(6, 4));
            assertThat(store.availableCount(LINK)).isEqualTo(7);
        }
        assertThat(userVersion(file)).isEqualTo(StoreSchema.VERSION);
    }

    @Test
    void aVersion8FileGetsTheForgottenMarks() throws Exception {
        Path file = dir.resolve("kme-8.db");
        MasterKey masterKey = MasterKey.of(MasterKeyTest.filled((byte) 3));
        storeOfOneBlockAtVersion(file, masterKey, 8, StoreSchemaTest::toVersion8);
        assertThat(schema(file)).noneMatch(sql -> sql.contains(StoreSchema.RELAYED_FORGOTTEN_MARK));

        try (KeyStore store = KeyStore.open(file, masterKey)) {
            assertThat(store.availableCount(LINK)).isEqualTo(4);
            assertThat(store.mayHaveForgottenRelayed(LINK, 1)).isFalse();
        }
        assertThat(userVersion(file)).isEqualTo(StoreSchema.VERSION);
        assertThat(schema(file))
                .anyMatch(sql -> sql.contains("CREATE TABLE " + StoreSchema.RELAYED_FORGOTTEN_MARK))
                .anyMatch(sql -> sql.contains("CREATE TABLE block") && sql.contains("forgotten_units"));
    }

    /**
     * A version-8 file whose spent rows a purge already deleted (builds that purged before the marks):
     * every relayed block it held and every kind of unit row count as possibly deleted.
     */
    @Test
    void aVersion8FileThatPurgedTakesEveryBlockForPossiblyForgotten() throws Exception {
        Path file = dir.resolve("kme-8p.db");
        MasterKey masterKey = MasterKey.of(MasterKeyTest.filled((byte) 3));
        long relayed = KeyIds.relayedBlock(1_700_000_000_000L, 0, 1);
        try (KeyStore store = KeyStore.open(file, masterKey)) {
            store.ingest(LINK, 1, KeyStoreTest.block(5, 4));
            new RelayStore(store).step(tx -> {
                tx.ingest("A~B", relayed, 7, KeyStoreTest.block(6, 1));
                return () -> {};
            });
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            toVersion8(st);
            st.executeUpdate("INSERT INTO store_meta (name, value) VALUES ('" + StoreSchema.FORGOTTEN_BEFORE + "', 1)");
            st.executeUpdate("PRAGMA user_version = 8");
        }

        try (KeyStore store = KeyStore.open(file, masterKey)) {
            assertThat(store.mayHaveForgottenRelayed("A~B", relayed)).isTrue();
            assertThat(store.mayHaveForgottenRelayed("A~B", relayed & ~1L)).isFalse();
            assertThat(store.runOnWriter(() -> {
                        try (Statement st = store.connection().createStatement();
                                java.sql.ResultSet rs = st.executeQuery("SELECT forgotten_units FROM block")) {
                            rs.next();
                            return rs.getInt(1);
                        }
                    }))
                    .isEqualTo(StoreSchema.FORGOTTEN_ERASED | StoreSchema.FORGOTTEN_DELIVERED);
        }
    }

    /** Rewrites a current store file into the shape version 2 gave it. */
    private static void downgradeToVersion2(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            st.executeUpdate("DROP TABLE " + StoreSchema.RELAYED_BLOCK_MARK);
            st.executeUpdate("ALTER TABLE stored_key DROP COLUMN announced");
            st.executeUpdate("DROP TABLE store_meta");
            st.executeUpdate("DROP INDEX stored_key_by_head");
            st.executeUpdate("CREATE INDEX stored_key_by_head ON stored_key (head_seq, part)");
            st.executeUpdate("DROP INDEX stored_key_reserved_by_expiry");
            st.executeUpdate("CREATE INDEX stored_key_by_expiry ON stored_key (state, expires_at)");
            st.executeUpdate("CREATE TABLE pickup_v2 (seq INTEGER NOT NULL REFERENCES stored_key (seq),"
                    + " sae_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (seq, sae_id, role))");
            st.executeUpdate("INSERT INTO pickup_v2 SELECT seq, sae_id, role FROM pickup");
            st.executeUpdate("DROP TABLE pickup");
            st.executeUpdate("ALTER TABLE pickup_v2 RENAME TO pickup");
            toTheIndexOfEveryUnitByLinkAndState(st);
            toVersion8(st);
            st.executeUpdate("PRAGMA user_version = 2");
        }
    }

    /** Versions before 6 had the index by link and state on every unit (and no index by half before 5). */
    private static void toTheIndexOfEveryUnitByLinkAndState(Statement st) throws SQLException {
        st.executeUpdate("DROP INDEX " + StoreSchema.HELD_INDEX);
        st.executeUpdate("CREATE INDEX " + StoreSchema.OLD_LINK_STATE_INDEX + " ON stored_key (link_id, state, seq)");
    }

    /** A store file of one block of eight units of which the first two were delivered to their master. */
    private static void storeOfEightUnitsTwoDelivered(Path file, MasterKey masterKey, byte[] block) {
        try (KeyStore store = KeyStore.open(file, masterKey)) {
            store.ingest(LINK, 1, block);
            try (Reservation r = store.reserve(LINK, 2, 256, "sae-a", List.of(), List.of("sae-b"))) {
                store.confirmMasterDelivery(r);
            }
        }
    }

    /** Versions 5 and 6 had an index of available units by half. */
    private static void addTheIndexOfAvailableUnitsByHalf(Statement st) throws SQLException {
        st.executeUpdate("CREATE INDEX " + StoreSchema.OLD_AVAILABLE_HALF_INDEX + " ON stored_key (link_id, state, "
                + StoreSchema.PARITY_ODD + ", seq) WHERE state = 'AVAILABLE'");
    }

    @Test
    void aVersion5FileGetsTheIndexOfHeldUnitsInPlaceOfTheIndexOfEveryUnit() throws Exception {
        Path file = dir.resolve("kme-5.db");
        MasterKey masterKey = MasterKey.of(MasterKeyTest.filled((byte) 4));
        byte[] block = KeyStoreTest.block(6, 8);
        storeOfEightUnitsTwoDelivered(file, masterKey, block);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            toTheIndexOfEveryUnitByLinkAndState(st);
            addTheIndexOfAvailableUnitsByHalf(st);
            toVersion8(st);
            st.executeUpdate("PRAGMA user_version = 5");
        }
        assertThat(schema(file)).noneMatch(sql -> sql.contains(StoreSchema.HELD_INDEX));
        try (KeyStore store = KeyStore.open(file, masterKey)) {
            assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(6, 0, 2, 0));
            assertThat(store.availableCount(LINK)).isEqualTo(6);
            try (Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of("sae-b"), List.of())) {
                assertThat(r.keys().keys().get(0).material()).isEqualTo(KeyStoreTest.keyOf(block, 2));
                assertThat(store.linkStatus(LINK).reserved()).isEqualTo(1);
            }
        }
        assertThat(userVersion(file)).isEqualTo(StoreSchema.VERSION);
        assertTheOneIndexOfHeldUnits(file);
    }

    @Test
    void aVersion6FileGetsOneIndexOfHeldUnitsInPlaceOfItsTwo() throws Exception {
        Path file = dir.resolve("kme-6.db");
        MasterKey masterKey = MasterKey.of(MasterKeyTest.filled((byte) 5));
        byte[] block = KeyStoreTest.block(9, 8);
        storeOfEightUnitsTwoDelivered(file, masterKey, block);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            st.executeUpdate("DROP INDEX " + StoreSchema.HELD_INDEX);
            st.executeUpdate("CREATE INDEX " + StoreSchema.OLD_HELD_INDEX
                    + " ON stored_key (link_id, state, seq) WHERE " + StoreSchema.HELD);
            addTheIndexOfAvailableUnitsByHalf(st);
            toVersion8(st);
            st.executeUpdate("PRAGMA user_version = 6");
        }
        try (KeyStore store = KeyStore.open(file, masterKey)) {
            assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(6, 0, 2, 0));
            try (Reservation r = store.reserve(LINK, 2, 256, "sae-a", List.of("sae-b"), List.of())) {
                assertThat(r.keys().keys().get(0).material()).isEqualTo(KeyStoreTest.keyOf(block, 2));
                assertThat(r.keys().keys().get(1).material()).isEqualTo(KeyStoreTest.keyOf(block, 3));
                assertThat(store.linkStatus(LINK).reserved()).isEqualTo(2);
                assertThat(store.availableCount(LINK)).isEqualTo(4);
            }
        }
        assertThat(userVersion(file)).isEqualTo(StoreSchema.VERSION);
        assertTheOneIndexOfHeldUnits(file);
    }

    /**
     * A version-7 file recorded relayed keys as blocks: version 8 keeps each end-to-end link's highest
     * block of each side as the link's mark of that side, and deletes those rows; distilled blocks stay.
     */
    @Test
    void aVersion7FilesRelayedBlocksBecomeItsEndToEndLinksMarks() throws Exception {
        Path file = dir.resolve("kme-7.db");
        MasterKey masterKey = MasterKey.of(MasterKeyTest.filled((byte) 6));
        long[] blocks = {
            KeyIds.relayedBlock(1_795_000_000_000L, 0, 0),
            KeyIds.relayedBlock(1_795_000_000_001L, 0, 0),
            KeyIds.relayedBlock(1_795_000_000_002L, 0, 1)
        };
        try (KeyStore store = KeyStore.open(file, masterKey)) {
            store.ingest(LINK, 1, KeyStoreTest.block(6, 8));
            RelayStore relay = new RelayStore(store);
            for (int i = 0; i < blocks.length; i++) {
                long block = blocks[i];
                long relayId = 70 + i;
                relay.step(tx -> {
                    tx.ingest("A~C", block, relayId, new byte[KeyStore.KEY_BYTES]);
                    return () -> {};
                });
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            st.executeUpdate("DROP TABLE " + StoreSchema.RELAYED_BLOCK_MARK);
            for (long block : blocks) {
                st.executeUpdate("INSERT INTO block (link_id, block_id, key_count, ingested_at) VALUES ('A~C', " + block
                        + ", 1, 0)");
            }
            toVersion8(st);
            st.executeUpdate("PRAGMA user_version = 7");
        }
        try (KeyStore store = KeyStore.open(file, masterKey)) {
            RelayStore relay = new RelayStore(store);
            assertThat(relay.lastBlock("A~C", 0)).isEqualTo(blocks[1]);
            assertThat(relay.lastBlock("A~C", 1)).isEqualTo(blocks[2]);
            assertThat(store.lastStoredBlock("A~C")).isEqualTo(-1);
            assertThat(store.lastStoredBlock(LINK)).isEqualTo(1);
            assertThat(store.availableCount("A~C")).isEqualTo(3);
            assertThat(store.availableCount(LINK)).isEqualTo(8);
        }
        assertThat(userVersion(file)).isEqualTo(StoreSchema.VERSION);
    }

    /** The key table's indexes on its link are the one of held units, by link, state and half. */
    private static void assertTheOneIndexOfHeldUnits(Path file) throws SQLException {
        assertThat(schema(file))
                .noneMatch(sql -> sql.contains(StoreSchema.OLD_LINK_STATE_INDEX))
                .noneMatch(sql -> sql.contains(StoreSchema.OLD_HELD_INDEX + " "))
                .noneMatch(sql -> sql.contains(StoreSchema.OLD_AVAILABLE_HALF_INDEX))
                .noneMatch(sql -> sql.contains(StoreSchema.OLD_HALF_INDEX))
                .filteredOn(sql -> sql.contains("ON stored_key (link_id"))
                .singleElement()
                .satisfies(sql -> assertThat(sql)
                        .contains(StoreSchema.HELD_INDEX)
                        .contains(StoreSchema.PARITY_ODD)
                        .endsWith("WHERE " + StoreSchema.HELD));
    }

    private static int userVersion(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    private static List<String> schema(Path file) throws SQLException {
        List<String> sql = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")) {
            while (rs.next()) {
                sql.add(rs.getString(1));
            }
        }
        return sql;
    }
}
