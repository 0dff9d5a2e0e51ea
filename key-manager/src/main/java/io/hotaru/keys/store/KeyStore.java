package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Durable store of one KME's keys: a SQLite file (WAL, synchronous=FULL, secure_delete) holding
 * each 256-bit key encrypted under the {@link MasterKey}.
 *
 * <p>Every operation is one transaction; all-or-nothing operations either change every named key or
 * none. Calls are serialised on one connection, which is what SQLite does with writers anyway.
 */
public final class KeyStore implements AutoCloseable {
    /** Size of every stored key: 256 bits. */
    public static final int KEY_BYTES = 32;

    private static final Logger log = LoggerFactory.getLogger(KeyStore.class);
    private static final int SCHEMA_VERSION = 1;

    private enum Role {
        MASTER,
        SLAVE
    }

    private final Path dbFile;
    private final Connection connection;
    private final KeySealer sealer;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private KeyStore(Path dbFile, Connection connection, KeySealer sealer, Clock clock) {
        this.dbFile = dbFile;
        this.connection = connection;
        this.sealer = sealer;
        this.clock = clock;
    }

    public static KeyStore open(Path dbFile, MasterKey masterKey) {
        return open(dbFile, masterKey, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed, mode 0600) the store file. The master key may be closed afterwards;
     * the store keeps only keys derived from it.
     */
    public static KeyStore open(Path dbFile, MasterKey masterKey, Clock clock) {
        createPrivateFile(dbFile);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        Connection connection = null;
        try {
            connection = config.createConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA secure_delete = ON");
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                    if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                        throw new KeyManagerException(Code.STORAGE, "key store " + dbFile + " cannot use WAL mode");
                    }
                }
            }
            KeySealer sealer = new KeySealer(masterKey);
            KeyStore store = new KeyStore(dbFile, connection, sealer, clock);
            store.migrate();
            log.info("Opened key store {}", dbFile);
            return store;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new KeyManagerException(Code.STORAGE, "cannot open key store " + dbFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
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

    private void migrate() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            int version;
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > SCHEMA_VERSION) {
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
                st.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * Splits a distilled block into 256-bit keys and stores them encrypted; trailing bytes short of
     * a whole key are dropped (identically on both ends). Idempotent per (link, block): a block seen
     * before is left as it is and 0 is returned. The caller keeps and wipes {@code keyMaterial}.
     *
     * @return the number of keys stored by this call
     */
    public int ingest(String linkId, long blockId, byte[] keyMaterial) {
        requireId(linkId, "linkId");
        if (keyMaterial == null) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "key material is null");
        }
        int count = keyMaterial.length / KEY_BYTES;
        return inTransaction(() -> {
            long now = clock.millis();
            try (PreparedStatement block = connection.prepareStatement(
                    "INSERT OR IGNORE INTO block (link_id, block_id, key_count, ingested_at) VALUES (?, ?, ?, ?)")) {
                block.setString(1, linkId);
                block.setLong(2, blockId);
                block.setInt(3, count);
                block.setLong(4, now);
                if (block.executeUpdate() == 0) {
                    log.debug("Block {} of link {} already ingested", blockId, linkId);
                    return 0;
                }
            }
            byte[] plaintext = new byte[KEY_BYTES];
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO stored_key"
                    + " (key_id, link_id, block_id, idx, state, nonce, ciphertext, digest, updated_at)"
                    + " VALUES (?, ?, ?, ?, 'AVAILABLE', ?, ?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    System.arraycopy(keyMaterial, i * KEY_BYTES, plaintext, 0, KEY_BYTES);
                    UUID keyId = KeyIds.derive(linkId, blockId, i);
                    KeySealer.Sealed sealed = sealer.seal(keyId, plaintext);
                    insert.setString(1, keyId.toString());
                    insert.setString(2, linkId);
                    insert.setLong(3, blockId);
                    insert.setInt(4, i);
                    insert.setBytes(5, sealed.nonce());
                    insert.setBytes(6, sealed.ciphertext());
                    insert.setBytes(7, sealed.digest());
                    insert.setLong(8, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            log.info("Ingested block {} of link {}: {} keys", blockId, linkId, count);
            return count;
        });
    }

    /**
     * Reserves the {@code count} oldest available keys of a link for the master SAE, in one
     * transaction. The master collects them here with {@link #deliverToMaster}; each of {@code
     * slaveSaes} collects them here with {@link #deliver}. Slaves behind another KME are not listed:
     * they collect at their own KME after {@link PeerReservations} told it.
     *
     * @throws KeyManagerException {@code KEYS_EXHAUSTED} if fewer than {@code count} keys are
     *     available; nothing is reserved then
     */
    public List<UUID> reserve(String linkId, int count, String masterSae, List<String> slaveSaes) {
        requireId(linkId, "linkId");
        requireId(masterSae, "masterSae");
        slaveSaes.forEach(s -> requireId(s, "slaveSae"));
        if (count < 1) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "count must be at least 1, was " + count);
        }
        if (slaveSaes.contains(masterSae) || new HashSet<>(slaveSaes).size() != slaveSaes.size()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "slave SAEs must be distinct and differ from master");
        }
        return inTransaction(() -> {
            List<Long> seqs = new ArrayList<>(count);
            List<UUID> ids = new ArrayList<>(count);
            try (PreparedStatement select = connection.prepareStatement("SELECT seq, key_id FROM stored_key"
                    + " WHERE link_id = ? AND state = 'AVAILABLE' ORDER BY seq LIMIT ?")) {
                select.setString(1, linkId);
                select.setInt(2, count);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                        ids.add(UUID.fromString(rs.getString(2)));
                    }
                }
            }
            if (seqs.size() < count) {
                throw new KeyManagerException(
                        Code.KEYS_EXHAUSTED,
                        "link " + linkId + " has " + seqs.size() + " keys available, " + count + " requested");
            }
            for (long seq : seqs) {
                setReserved(seq, masterSae);
                addPickup(seq, masterSae, Role.MASTER);
                for (String slave : slaveSaes) {
                    addPickup(seq, slave, Role.SLAVE);
                }
            }
            return List.copyOf(ids);
        });
    }

    /**
     * Slave side of a reservation made at the master's KME: reserves the named keys of the link for
     * the slave SAE, to be collected once with {@link #deliver}. All or nothing.
     *
     * @throws KeyManagerException {@code KEY_NOT_AVAILABLE} unless every key exists on this link and
     *     is available
     */
    public void markReservedByPeer(String linkId, List<UUID> keyIds, String masterSae, String slaveSae) {
        requireId(linkId, "linkId");
        requireId(masterSae, "masterSae");
        requireId(slaveSae, "slaveSae");
        requireDistinct(keyIds);
        if (masterSae.equals(slaveSae)) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "slave SAE must differ from master");
        }
        inTransaction(() -> {
            for (UUID keyId : keyIds) {
                long seq;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT seq FROM stored_key" + " WHERE key_id = ? AND link_id = ? AND state = 'AVAILABLE'")) {
                    select.setString(1, keyId.toString());
                    select.setString(2, linkId);
                    try (ResultSet rs = select.executeQuery()) {
                        if (!rs.next()) {
                            throw new KeyManagerException(
                                    Code.KEY_NOT_AVAILABLE,
                                    "link " + linkId + ": " + keyIds.size() + " keys are not all available here");
                        }
                        seq = rs.getLong(1);
                    }
                }
                setReserved(seq, masterSae);
                addPickup(seq, slaveSae, Role.SLAVE);
            }
            return null;
        });
    }

    /**
     * Releases keys to a slave SAE ({@code dec_keys}): only keys reserved by {@code masterSae} for
     * {@code requesterSae} and not yet collected by it. All or nothing; a key whose last recipient
     * collects it here moves to {@link KeyState#DELIVERED} and its ciphertext is erased.
     *
     * @throws KeyManagerException {@code KEY_NOT_AVAILABLE}, the same for unknown, foreign and
     *     already delivered keys
     */
    public KeyBatch deliver(List<UUID> keyIds, String requesterSae, String masterSae) {
        requireId(requesterSae, "requesterSae");
        requireId(masterSae, "masterSae");
        return collect(keyIds, requesterSae, masterSae, Role.SLAVE);
    }

    /** Releases keys reserved by {@link #reserve} to their master SAE ({@code enc_keys}); as {@link #deliver}. */
    public KeyBatch deliverToMaster(List<UUID> keyIds, String masterSae) {
        requireId(masterSae, "masterSae");
        return collect(keyIds, masterSae, masterSae, Role.MASTER);
    }

    /**
     * Undoes a {@link #reserve} whose keys nobody collected yet (the peer KME did not confirm):
     * the keys become available again. All or nothing.
     */
    public void release(List<UUID> keyIds, String masterSae) {
        requireDistinct(keyIds);
        inTransaction(() -> {
            for (UUID keyId : keyIds) {
                long seq = findSeq(keyId, masterSae, masterSae, Role.MASTER);
                if (pickupCount(seq) != 1) {
                    // a local slave is also owed (or already has) this key: it must not be reused
                    throw new KeyManagerException(
                            Code.KEY_NOT_AVAILABLE, "keys shared with other recipients cannot be released");
                }
                try (PreparedStatement st = connection.prepareStatement("DELETE FROM pickup WHERE seq = ?")) {
                    st.setLong(1, seq);
                    st.executeUpdate();
                }
                try (PreparedStatement st = connection.prepareStatement("UPDATE stored_key"
                        + " SET state = 'AVAILABLE', master_sae = NULL, updated_at = ? WHERE seq = ?")) {
                    st.setLong(1, clock.millis());
                    st.setLong(2, seq);
                    st.executeUpdate();
                }
            }
            return null;
        });
    }

    /** IDs of the link's keys whose material this store still holds (available or reserved), sorted. */
    public List<UUID> heldKeyIds(String linkId) {
        return inTransaction(() -> {
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT key_id FROM stored_key WHERE link_id = ? AND ciphertext IS NOT NULL")) {
                st.setString(1, linkId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        ids.add(UUID.fromString(rs.getString(1)));
                    }
                }
            }
            ids.sort(null);
            return ids;
        });
    }

    /**
     * SHA-256 over the IDs and material of the given held keys, in the given order: two stores hold
     * the same keys exactly when their digests agree, and the digest reveals nothing usable about
     * the keys. Changes no state.
     *
     * @throws KeyManagerException if a key is unknown or its material is no longer held
     */
    public byte[] digest(List<UUID> keyIds) {
        return inTransaction(() -> {
            MessageDigest sha = sha256();
            for (UUID keyId : keyIds) {
                long seq;
                try (PreparedStatement st = connection.prepareStatement(
                        "SELECT seq FROM stored_key WHERE key_id = ? AND ciphertext IS NOT NULL")) {
                    st.setString(1, keyId.toString());
                    try (ResultSet rs = st.executeQuery()) {
                        if (!rs.next()) {
                            throw new KeyManagerException(
                                    Code.KEY_NOT_AVAILABLE, "key " + keyId + " is not held by this store");
                        }
                        seq = rs.getLong(1);
                    }
                }
                byte[] material = open(seq, keyId);
                try {
                    sha.update(keyId.toString().getBytes(StandardCharsets.US_ASCII));
                    sha.update(material);
                } finally {
                    Arrays.fill(material, (byte) 0);
                }
            }
            return sha.digest();
        });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Keys of the link that {@link #reserve} could pick. */
    public long availableCount(String linkId) {
        return counts(linkId).available();
    }

    public KeyCounts counts(String linkId) {
        return inTransaction(() -> {
            long[] byState = new long[KeyState.values().length];
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT state, COUNT(*) FROM stored_key WHERE link_id = ? GROUP BY state")) {
                st.setString(1, linkId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        byState[KeyState.valueOf(rs.getString(1)).ordinal()] = rs.getLong(2);
                    }
                }
            }
            return new KeyCounts(
                    byState[KeyState.AVAILABLE.ordinal()],
                    byState[KeyState.RESERVED.ordinal()],
                    byState[KeyState.DELIVERED.ordinal()],
                    byState[KeyState.ERASED.ordinal()]);
        });
    }

    private KeyBatch collect(List<UUID> keyIds, String requesterSae, String masterSae, Role role) {
        requireDistinct(keyIds);
        List<DeliveredKey> opened = new ArrayList<>(keyIds.size());
        try {
            return inTransaction(() -> {
                for (UUID keyId : keyIds) {
                    long seq = findSeq(keyId, requesterSae, masterSae, role);
                    opened.add(new DeliveredKey(keyId, open(seq, keyId)));
                    removePickup(seq, requesterSae, role);
                }
                return new KeyBatch(opened);
            });
        } catch (RuntimeException e) {
            opened.forEach(DeliveredKey::wipe); // rolled back: nobody gets these
            throw e;
        }
    }

    /** The one lookup behind every refusal, so that unknown and foreign keys look the same. */
    private long findSeq(UUID keyId, String requesterSae, String masterSae, Role role) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT k.seq FROM stored_key k"
                + " JOIN pickup p ON p.seq = k.seq WHERE k.key_id = ? AND k.state = 'RESERVED'"
                + " AND k.master_sae = ? AND p.sae_id = ? AND p.role = ?")) {
            st.setString(1, keyId.toString());
            st.setString(2, masterSae);
            st.setString(3, requesterSae);
            st.setString(4, role.name());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new KeyManagerException(
                            Code.KEY_NOT_AVAILABLE, "one or more keys are not available to " + requesterSae);
                }
                return rs.getLong(1);
            }
        }
    }

    private byte[] open(long seq, UUID keyId) throws SQLException {
        try (PreparedStatement st =
                connection.prepareStatement("SELECT nonce, ciphertext, digest FROM stored_key WHERE seq = ?")) {
            st.setLong(1, seq);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || rs.getBytes(2) == null) {
                    throw new KeyManagerException(Code.CORRUPT_KEY, "stored key " + keyId + " has no ciphertext");
                }
                return sealer.open(keyId, new KeySealer.Sealed(rs.getBytes(1), rs.getBytes(2), rs.getBytes(3)));
            }
        }
    }

    private int pickupCount(long seq) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT COUNT(*) FROM pickup WHERE seq = ?")) {
            st.setLong(1, seq);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void setReserved(long seq, String masterSae) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("UPDATE stored_key"
                + " SET state = 'RESERVED', master_sae = ?, updated_at = ? WHERE seq = ? AND state = 'AVAILABLE'")) {
            st.setString(1, masterSae);
            st.setLong(2, clock.millis());
            st.setLong(3, seq);
            if (st.executeUpdate() != 1) {
                throw new IllegalStateException("key row " + seq + " changed inside its transaction");
            }
        }
    }

    private void addPickup(long seq, String sae, Role role) throws SQLException {
        try (PreparedStatement st =
                connection.prepareStatement("INSERT INTO pickup (seq, sae_id, role) VALUES (?, ?, ?)")) {
            st.setLong(1, seq);
            st.setString(2, sae);
            st.setString(3, role.name());
            st.executeUpdate();
        }
    }

    private void removePickup(long seq, String sae, Role role) throws SQLException {
        try (PreparedStatement st =
                connection.prepareStatement("DELETE FROM pickup WHERE seq = ? AND sae_id = ? AND role = ?")) {
            st.setLong(1, seq);
            st.setString(2, sae);
            st.setString(3, role.name());
            st.executeUpdate();
        }
        try (PreparedStatement st = connection.prepareStatement("UPDATE stored_key"
                + " SET state = 'DELIVERED', nonce = NULL, ciphertext = NULL, digest = NULL, updated_at = ?"
                + " WHERE seq = ? AND NOT EXISTS (SELECT 1 FROM pickup WHERE pickup.seq = stored_key.seq)")) {
            st.setLong(1, clock.millis());
            st.setLong(2, seq);
            st.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new KeyManagerException(Code.STORAGE, "key store " + dbFile + " is closed");
            }
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback();
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new KeyManagerException(Code.STORAGE, "key store " + dbFile + ": " + e.getMessage(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("Rollback failed on key store {}: {}", dbFile, e.getMessage());
        }
    }

    private static void requireId(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, name + " must not be blank");
        }
    }

    private static void requireDistinct(List<UUID> keyIds) {
        if (keyIds.isEmpty() || new HashSet<>(keyIds).size() != keyIds.size()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "key IDs must be a non-empty list without repeats");
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }

    /** Checkpoints the WAL into the database file, closes it and wipes the derived keys. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try (Statement st = connection.createStatement()) {
                connection.commit();
                connection.setAutoCommit(true);
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                log.warn("WAL checkpoint failed on key store {}: {}", dbFile, e.getMessage());
            }
            closeQuietly(connection);
            sealer.wipe();
            log.info("Closed key store {}", dbFile);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "KeyStore[" + dbFile + "]";
    }
}
