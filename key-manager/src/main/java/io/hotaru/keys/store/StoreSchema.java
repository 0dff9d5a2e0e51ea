package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * The store file on disk: created private (mode 0600), opened in WAL mode with secure delete, and
 * migrated to the current schema. SQLite runs with synchronous=NORMAL: it fsyncs at checkpoints,
 * and {@link WalSync} fsyncs the WAL after every commit before any caller sees the result, off the
 * writer thread (docs/adr/0006-wal-fsync-off-the-store-writer-thread.md). Checkpoints run mostly on
 * a thread of their own ({@link WalCheckpointer}).
 */
final class StoreSchema {
    static final int VERSION = 10;
    /**
     * WAL bytes after which the writer's own commit checkpoints (SQLite's default of 1,000 pages of
     * 4 KiB, kept whatever the page size): it bounds the WAL, hence the disk a store needs beside its
     * database file; {@link WalCheckpointer} has copied most of those frames before, off the writer
     * thread.
     */
    static final int WAL_AUTOCHECKPOINT_BYTES = 1000 * 4096;
    /**
     * Page size of a store created by this software. A relay's pad lease erases a run of a link's
     * units, and 1 KiB pages (which the ETSI load's commits wrote fewer bytes with) made that cost a
     * fifth more CPU per relay than 4 KiB ones; the ETSI load's CPU and latency are the same at either
     * size (docs/adr/0016-store-statements-prepared-once.md, "Back to 4 KiB pages"). An existing store
     * keeps the page size it was created with (WAL mode fixes it).
     */
    static final int NEW_STORE_PAGE_BYTES = 4096;
    /**
     * The index of the units a link holds (available or reserved) by link, state and half ({@link
     * UnitHalf}), oldest first. A statement that reads it repeats {@link #HELD} word for word: SQLite
     * uses a partial index only for a query whose conditions include the index's own.
     */
    static final String HELD_INDEX = "stored_key_held_by_link_state_half";
    /** The condition of {@link #HELD_INDEX}. */
    static final String HELD = "state IN ('AVAILABLE', 'RESERVED')";
    /** Version 6's index of held units by link and state, which {@link #HELD_INDEX} replaced in version 7. */
    static final String OLD_HELD_INDEX = "stored_key_held_by_link_state";
    /** Versions 5 and 6's index of available units by link and half, which {@link #HELD_INDEX} replaced in version 7. */
    static final String OLD_AVAILABLE_HALF_INDEX = "stored_key_available_by_relay_half";
    /** The relay's index of every unit by link and half, before version 5. */
    static final String OLD_HALF_INDEX = "stored_key_by_relay_half";
    /** The index by link and state of every unit, before version 6. */
    static final String OLD_LINK_STATE_INDEX = "stored_key_by_link_state";
    /** Per end-to-end link and side, a bound on the block numbers of its relayed keys (version 8). */
    static final String RELAYED_BLOCK_MARK = "relayed_block_mark";
    /**
     * Per end-to-end link and side, the highest block of a relayed key whose rows a purge deleted
     * (version 9, {@link SpentPurge}): a key of a block at or below it may have been here.
     */
    static final String RELAYED_FORGOTTEN_MARK = "relayed_forgotten_mark";
    /**
     * Units of a distilled link burned here before this store had stored them (version 10): when
     * their block arrives they are stored erased ({@link KeyTable#burn}).
     */
    static final String BURNED_AHEAD = "burned_ahead";
    /** The {@code store_meta} row of the forgotten-before time ({@link KeyStore#forgottenBefore}). */
    static final String FORGOTTEN_BEFORE = "spent_forgotten_before";
    /** A bit of {@code block.forgotten_units}: a purge deleted the row of an erased unit of the block. */
    static final int FORGOTTEN_ERASED = 1;
    /** A bit of {@code block.forgotten_units}: a purge deleted the row of a delivered unit of the block. */
    static final int FORGOTTEN_DELIVERED = 2;
    /** True for a relayed key's unit: its ID is a version-7 UUID ({@link KeyIds#deriveRelayed}). */
    static final String RELAYED_KEY_ID = "substr(key_id, 15, 1) = '7'";
    /** True for a unit of the odd half: its ID's last hex digit is odd. {@link #HELD_INDEX} is on it. */
    static final String PARITY_ODD = "(instr('13579bdf', substr(key_id, 36, 1)) > 0)";

    private StoreSchema() {}

    /** Opens (creating if needed) the store file and migrates it; the connection is not auto-commit. */
    static Connection open(Path dbFile) {
        createPrivateFile(dbFile);
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        // No statement reads generated keys; without this the driver runs "SELECT last_insert_rowid()"
        // as a new statement after every INSERT, and matches every statement against a pattern.
        config.setGetGeneratedKeys(false);
        Connection connection = null;
        try {
            connection = config.createConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
            try (Statement st = connection.createStatement()) {
                // before WAL mode: an empty file takes this page size, WAL mode then fixes it
                st.execute("PRAGMA page_size = " + NEW_STORE_PAGE_BYTES);
                st.execute("PRAGMA secure_delete = ON");
                // Every writer operation runs in a savepoint, whose journal of the pages it changed
                // would otherwise be a temporary file: one write per page, and a system call, on
                // the writer thread (docs/adr/0009-trusted-node-relay.md, "What bounds it now").
                st.execute("PRAGMA temp_store = MEMORY");
                st.execute("PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_BYTES / pageSize(st));
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                    if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                        throw new KeyManagerException(Code.STORAGE, "key store " + dbFile + " cannot use WAL mode");
                    }
                }
            }
            migrate(dbFile, connection);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new KeyManagerException(Code.STORAGE, "cannot open key store " + dbFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static int pageSize(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA page_size")) {
            return rs.getInt(1);
        }
    }

    private static void createPrivateFile(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException existing) {
            // reopening an existing store
        } catch (IOException e) {
            throw new KeyManagerException(Code.STORAGE, "cannot create key store " + file + ": " + e, e);
        }
    }

    private static void migrate(Path dbFile, Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            int version;
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > VERSION) {
                throw new KeyManagerException(
                        Code.STORAGE, "key store " + dbFile + " has schema " + version + ", newer than this software");
            }
            if (version < 1) {
                st.executeUpdate("CREATE TABLE block (link_id TEXT NOT NULL, block_id INTEGER NOT NULL,"
                        + " key_count INTEGER NOT NULL, ingested_at INTEGER NOT NULL,"
                        + " PRIMARY KEY (link_id, block_id))");
                st.executeUpdate("CREATE TABLE stored_key (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " key_id TEXT NOT NULL UNIQUE, link_id TEXT NOT NULL, block_id INTEGER NOT NULL,"
                        + " idx INTEGER NOT NULL, state TEXT NOT NULL, master_sae TEXT,"
                        + " nonce BLOB, ciphertext BLOB, digest BLOB, updated_at INTEGER NOT NULL)");
                st.executeUpdate("CREATE INDEX stored_key_by_link_state ON stored_key (link_id, state, seq)");
                st.executeUpdate("CREATE TABLE pickup (seq INTEGER NOT NULL REFERENCES stored_key (seq),"
                        + " sae_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (seq, sae_id, role))");
            }
            if (version < 2) {
                // A reserved unit belongs to the key headed by head_seq, at position part; the head
                // row carries the key's size. Reservations expire at expires_at (epoch ms).
                st.executeUpdate("ALTER TABLE stored_key ADD COLUMN head_seq INTEGER");
                st.executeUpdate("ALTER TABLE stored_key ADD COLUMN part INTEGER");
                st.executeUpdate("ALTER TABLE stored_key ADD COLUMN size_bits INTEGER");
                st.executeUpdate("ALTER TABLE stored_key ADD COLUMN expires_at INTEGER");
                st.executeUpdate("UPDATE stored_key SET head_seq = seq, part = 0, size_bits = " + KeyStore.UNIT_BITS
                        + ", expires_at = " + Long.MAX_VALUE + " WHERE state = 'RESERVED'");
                st.executeUpdate("CREATE INDEX stored_key_by_head ON stored_key (head_seq, part)");
                st.executeUpdate("CREATE INDEX stored_key_by_expiry ON stored_key (state, expires_at)");
            }
            if (version < 3) {
                migrateToSmallerIndexes(st);
            }
            if (version < 4) {
                // At the slave's KME, the number of the announcement that reserved a key (on its head
                // row), NULL once a slave collected part of it; the master KME numbers its
                // announcements from an epoch that every opening of the store advances.
                st.executeUpdate("ALTER TABLE stored_key ADD COLUMN announced INTEGER");
                st.executeUpdate(
                        "CREATE TABLE store_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
                st.executeUpdate("INSERT INTO store_meta (name, value) VALUES ('announcement_epoch', 0)");
            }
            if (version < 7) {
                createHeldIndex(st);
            }
            if (version < 8) {
                markRelayedBlocks(st);
            }
            if (version < 9) {
                addForgottenMarks(st);
            }
            if (version < 10) {
                st.executeUpdate("CREATE TABLE IF NOT EXISTS " + BURNED_AHEAD
                        + " (link_id TEXT NOT NULL, key_id TEXT NOT NULL, burned_at INTEGER NOT NULL,"
                        + " PRIMARY KEY (link_id, key_id)) WITHOUT ROWID");
            }
            if (version < VERSION) {
                st.executeUpdate("PRAGMA user_version = " + VERSION);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * Version 3: each change of a key's state touches fewer b-tree entries. The head and expiry
     * indexes hold only the rows they serve (units of a reserved or collected key; reserved units),
     * so reserving a unit inserts one entry into each instead of moving one, and collecting it
     * removes one from the expiry index instead of moving it; both indexes stay as small as the keys
     * in flight. The pickup table is keyed by its primary key alone (WITHOUT ROWID): adding or
     * removing a pickup changes one b-tree instead of a table and its key index.
     */
    private static void migrateToSmallerIndexes(Statement st) throws SQLException {
        st.executeUpdate("DROP INDEX stored_key_by_head");
        st.executeUpdate("CREATE INDEX stored_key_by_head ON stored_key (head_seq, part) WHERE head_seq IS NOT NULL");
        st.executeUpdate("DROP INDEX stored_key_by_expiry");
        st.executeUpdate(
                "CREATE INDEX stored_key_reserved_by_expiry ON stored_key (expires_at) WHERE state = 'RESERVED'");
        st.executeUpdate("CREATE TABLE pickup_v3 (seq INTEGER NOT NULL REFERENCES stored_key (seq),"
                + " sae_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (seq, sae_id, role)) WITHOUT ROWID");
        st.executeUpdate("INSERT INTO pickup_v3 (seq, sae_id, role) SELECT seq, sae_id, role FROM pickup");
        st.executeUpdate("DROP TABLE pickup");
        st.executeUpdate("ALTER TABLE pickup_v3 RENAME TO pickup");
    }

    /**
     * Version 7: one index of the units a link holds, by link, state and half, in place of the three
     * that earlier versions had on those columns: version 5's of available units by half (and the
     * relay's older one of every unit by half), version 6's of held units by link and state (and the
     * older one of every unit). An end picks the oldest units of its half for a relay pad and for the
     * keys of an ETSI 014 master at that end ({@link UnitHalf}), so that the two ends of a link never
     * pick the same unit at once; a link's pool is counted by state. Storing a unit then adds one entry
     * to it instead of one to each of two indexes, and reserving or erasing an available one changes
     * one entry instead of two: a relayed key's store step wrote a seventh fewer pages, a pad lease a
     * quarter fewer (docs/adr/0016-store-statements-prepared-once.md, "One index of held units"). It holds held units
     * only, so it stays as small as the link's pool, not its history.
     */
    private static void createHeldIndex(Statement st) throws SQLException {
        for (String old :
                new String[] {OLD_HALF_INDEX, OLD_AVAILABLE_HALF_INDEX, OLD_LINK_STATE_INDEX, OLD_HELD_INDEX}) {
            st.executeUpdate("DROP INDEX IF EXISTS " + old);
        }
        st.executeUpdate("CREATE INDEX IF NOT EXISTS " + HELD_INDEX + " ON stored_key (link_id, state, " + PARITY_ODD
                + ", seq) WHERE " + HELD);
    }

    /**
     * Version 8: a relayed key (an end-to-end link's, ADR 0009) is stored as units only, without a
     * row in {@code block}; per end-to-end link and side, {@code relayed_block_mark} holds a number
     * at least as high as every block of that side the store holds, which a source numbers its next
     * keys above ({@link RelayStore#lastBlock}). The block row cost a relayed key's store step two
     * b-tree inserts and about three of the twenty-two pages an end's commit wrote; what it guarded,
     * that a block is stored once, the keys' own IDs guard (they hash the block and the relay). The
     * marks of a store of an earlier version are its relayed blocks' highest numbers (relayed keys are
     * the version-7 UUIDs, {@link KeyIds#deriveRelayed}); those blocks' rows are then deleted: two
     * reads of every key row, once.
     */
    private static void markRelayedBlocks(Statement st) throws SQLException {
        st.executeUpdate(
                "CREATE TABLE IF NOT EXISTS " + RELAYED_BLOCK_MARK + " (link_id TEXT NOT NULL, side INTEGER NOT NULL,"
                        + " mark INTEGER NOT NULL, PRIMARY KEY (link_id, side)) WITHOUT ROWID");
        st.executeUpdate("INSERT INTO " + RELAYED_BLOCK_MARK + " (link_id, side, mark)"
                + " SELECT link_id, block_id & 1, max(block_id) FROM stored_key WHERE " + RELAYED_KEY_ID
                + " GROUP BY link_id, block_id & 1"
                + " ON CONFLICT (link_id, side) DO UPDATE SET mark = max(mark, excluded.mark)");
        st.executeUpdate("DELETE FROM block WHERE (link_id, block_id) IN"
                + " (SELECT link_id, block_id FROM stored_key WHERE " + RELAYED_KEY_ID + ")");
    }

    /**
     * Version 9: what a purge of spent units' rows ({@link SpentPurge}) leaves behind, so that the
     * questions those rows answered are still answered: per end-to-end link and side, the highest
     * relayed block whose rows it deleted ({@code relayed_forgotten_mark}), and per distilled block
     * which kinds of its units' rows it deleted ({@code block.forgotten_units}: {@link
     * #FORGOTTEN_ERASED}, {@link #FORGOTTEN_DELIVERED}; for {@link BlockWithdrawal}).
     */
    private static void addForgottenMarks(Statement st) throws SQLException {
        st.executeUpdate("CREATE TABLE IF NOT EXISTS " + RELAYED_FORGOTTEN_MARK
                + " (link_id TEXT NOT NULL, side INTEGER NOT NULL, mark INTEGER NOT NULL,"
                + " PRIMARY KEY (link_id, side)) WITHOUT ROWID");
        boolean has = false;
        try (ResultSet rs = st.executeQuery("PRAGMA table_info(block)")) {
            while (rs.next()) {
                has |= "forgotten_units".equals(rs.getString("name"));
            }
        }
        if (!has) {
            st.executeUpdate("ALTER TABLE block ADD COLUMN forgotten_units INTEGER NOT NULL DEFAULT 0");
        }
        // A store whose spent rows a purge deleted before these marks existed: every relayed block it
        // held may be gone, and any kind of unit row of any block.
        try (ResultSet rs = st.executeQuery("SELECT 1 FROM store_meta WHERE name = '" + FORGOTTEN_BEFORE + "'")) {
            if (!rs.next()) {
                return;
            }
        }
        st.executeUpdate("INSERT OR IGNORE INTO " + RELAYED_FORGOTTEN_MARK + " (link_id, side, mark)"
                + " SELECT link_id, side, mark FROM " + RELAYED_BLOCK_MARK);
        st.executeUpdate("UPDATE block SET forgotten_units = " + (FORGOTTEN_ERASED | FORGOTTEN_DELIVERED));
    }

    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }
}
