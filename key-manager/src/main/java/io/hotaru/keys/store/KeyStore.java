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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Durable store of one KME's keys: a SQLite file (WAL, synchronous=FULL, secure_delete) holding
 * each 256-bit unit of key encrypted under the {@link MasterKey}. Keys handed to SAEs are composed
 * of units ({@link KeyComposition}).
 *
 * <p>Every operation is all-or-nothing. Operations run on one writer thread that groups the
 * operations waiting at the moment into one SQLite transaction, each inside its own savepoint, and
 * commits them with one fsync ({@link StoreWriter}): an operation returns only after its commit is
 * durable, and a failing operation rolls back alone.
 */
public final class KeyStore implements KeyPool, AutoCloseable {
    /** Size of a stored unit of key, and of the keys of a block: 256 bits. */
    public static final int UNIT_BITS = 256;
    /** Bytes of a stored unit. */
    public static final int KEY_BYTES = UNIT_BITS / 8;

    private static final Logger log = LoggerFactory.getLogger(KeyStore.class);
    private static final int SCHEMA_VERSION = 2;
    private static final long SWEEP_MILLIS = 1_000;

    private enum Role {
        MASTER,
        SLAVE
    }

    private final Path dbFile;
    private final Connection connection;
    private final KeySealer sealer;
    private final StoreOptions options;
    private final Clock clock;
    private final StoreWriter writer;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final AtomicLong unitsOpened = new AtomicLong();

    private KeyStore(Path dbFile, Connection connection, KeySealer sealer, StoreOptions options) {
        this.dbFile = dbFile;
        this.connection = connection;
        this.sealer = sealer;
        this.options = options;
        this.clock = options.clock();
        this.writer = new StoreWriter(dbFile.getFileName().toString(), connection, SWEEP_MILLIS, this::sweep);
    }

    public static KeyStore open(Path dbFile, MasterKey masterKey) {
        return open(dbFile, masterKey, StoreOptions.defaults());
    }

    public static KeyStore open(Path dbFile, MasterKey masterKey, Clock clock) {
        return open(dbFile, masterKey, StoreOptions.defaults().withClock(clock));
    }

    /**
     * Opens (creating if needed, mode 0600) the store file. The master key may be closed afterwards;
     * the store keeps only keys derived from it.
     */
    public static KeyStore open(Path dbFile, MasterKey masterKey, StoreOptions options) {
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
            migrate(dbFile, connection);
            KeyStore store = new KeyStore(dbFile, connection, sealer, options);
            store.writer.start();
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

    private static void migrate(Path dbFile, Connection connection) throws SQLException {
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
            }
            if (version < 2) {
                // A reserved unit belongs to the key headed by head_seq, at position part; the head
                // row carries the key's size. Reservations expire at expires_at (epoch ms).
                st.executeUpdate("ALTER TABLE stored_key ADD COLUMN head_seq INTEGER");
                st.executeUpdate("ALTER TABLE stored_key ADD COLUMN part INTEGER");
                st.executeUpdate("ALTER TABLE stored_key ADD COLUMN size_bits INTEGER");
                st.executeUpdate("ALTER TABLE stored_key ADD COLUMN expires_at INTEGER");
                st.executeUpdate("UPDATE stored_key SET head_seq = seq, part = 0, size_bits = " + UNIT_BITS
                        + ", expires_at = " + Long.MAX_VALUE + " WHERE state = 'RESERVED'");
                st.executeUpdate("CREATE INDEX stored_key_by_head ON stored_key (head_seq, part)");
                st.executeUpdate("CREATE INDEX stored_key_by_expiry ON stored_key (state, expires_at)");
                st.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * Splits a distilled block into 256-bit units and stores them encrypted; trailing bytes short of
     * a whole unit are dropped (identically on both ends). Idempotent per (link, block): a block seen
     * before is left as it is and 0 is returned. A block that would take the link over its capacity
     * is not stored (and not marked as seen), 0 is returned and {@link #linkStatus} reports the link
     * full. The caller keeps and wipes {@code keyMaterial}.
     *
     * @return the number of units stored by this call
     */
    public int ingest(String linkId, long blockId, byte[] keyMaterial) {
        requireId(linkId, "linkId");
        if (keyMaterial == null) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "key material is null");
        }
        int count = keyMaterial.length / KEY_BYTES;
        long capacity = options.capacity(linkId);
        return writer.run(() -> {
            long now = clock.millis();
            PreparedStatement seen = ps("SELECT 1 FROM block WHERE link_id = ? AND block_id = ?");
            seen.setString(1, linkId);
            seen.setLong(2, blockId);
            try (ResultSet rs = seen.executeQuery()) {
                if (rs.next()) {
                    log.debug("Block {} of link {} already ingested", blockId, linkId);
                    return 0;
                }
            }
            long held = held(linkId);
            if (held + count > capacity) {
                log.warn(
                        "Link {} is full ({} of {} units held): block {} of {} units not stored",
                        linkId,
                        held,
                        capacity,
                        blockId,
                        count);
                return 0;
            }
            PreparedStatement block =
                    ps("INSERT INTO block (link_id, block_id, key_count, ingested_at) VALUES (?, ?, ?, ?)");
            block.setString(1, linkId);
            block.setLong(2, blockId);
            block.setInt(3, count);
            block.setLong(4, now);
            block.executeUpdate();
            byte[] plaintext = new byte[KEY_BYTES];
            try {
                PreparedStatement insert = ps("INSERT INTO stored_key"
                        + " (key_id, link_id, block_id, idx, state, nonce, ciphertext, digest, updated_at)"
                        + " VALUES (?, ?, ?, ?, 'AVAILABLE', ?, ?, ?, ?)");
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
                    insert.executeUpdate();
                }
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            log.info("Ingested block {} of link {}: {} units", blockId, linkId, count);
            return count;
        });
    }

    @Override
    public Reservation reserve(
            String linkId,
            int number,
            int sizeBits,
            String masterSae,
            List<String> localSlaves,
            List<String> remoteSlaves) {
        requireId(linkId, "linkId");
        requireId(masterSae, "masterSae");
        List<String> everyone = new ArrayList<>(localSlaves);
        everyone.addAll(remoteSlaves);
        everyone.forEach(s -> requireId(s, "slaveSae"));
        if (number < 1) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "number must be at least 1, was " + number);
        }
        if (sizeBits < 8 || sizeBits % 8 != 0) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "size must be a positive multiple of 8 bits");
        }
        if (everyone.contains(masterSae) || new HashSet<>(everyone).size() != everyone.size()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "slave SAEs must be distinct and differ from master");
        }
        int unitsPerKey = KeyComposition.unitsFor(sizeBits);
        long units = (long) number * unitsPerKey;
        return writer.run(
                () -> {
                    List<Long> seqs = new ArrayList<>();
                    List<UUID> ids = new ArrayList<>();
                    PreparedStatement select = ps("SELECT seq, key_id FROM stored_key"
                            + " WHERE link_id = ? AND state = 'AVAILABLE' ORDER BY seq LIMIT ?");
                    select.setString(1, linkId);
                    select.setLong(2, units);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            seqs.add(rs.getLong(1));
                            ids.add(UUID.fromString(rs.getString(2)));
                        }
                    }
                    if (seqs.size() < units) {
                        throw new KeyManagerException(
                                Code.KEYS_EXHAUSTED,
                                "link " + linkId + " has " + seqs.size() + " units available, " + units + " needed");
                    }
                    long expiresAt = clock.millis() + options.reservationTtl().toMillis();
                    List<KeyComposition> keys = new ArrayList<>(number);
                    List<DeliveredKey> material = new ArrayList<>(number);
                    try {
                        for (int k = 0; k < number; k++) {
                            int from = k * unitsPerKey;
                            long head = seqs.get(from);
                            for (int p = 0; p < unitsPerKey; p++) {
                                setReserved(seqs.get(from + p), head, p, p == 0 ? sizeBits : 0, masterSae, expiresAt);
                            }
                            addPickup(head, masterSae, Role.MASTER);
                            for (String slave : localSlaves) {
                                addPickup(head, slave, Role.SLAVE);
                            }
                            KeyComposition key =
                                    new KeyComposition(ids.get(from), sizeBits, ids.subList(from, from + unitsPerKey));
                            keys.add(key);
                            material.add(new DeliveredKey(key.keyId(), openKey(head, sizeBits)));
                        }
                    } catch (RuntimeException | SQLException e) {
                        material.forEach(DeliveredKey::wipe);
                        throw e;
                    }
                    PeerReservation announcement =
                            new PeerReservation(linkId, masterSae, remoteSlaves, keys, Instant.ofEpochMilli(expiresAt));
                    return new Reservation(announcement, new KeyBatch(material));
                },
                Reservation::close);
    }

    @Override
    public void confirmMasterDelivery(Reservation reservation) {
        PeerReservation r = reservation.announcement();
        List<UUID> ids = reservation.keyIds();
        writer.submit(() -> {
            for (UUID id : ids) {
                Optional<Long> head = findHead(id, r.masterSae(), r.masterSae(), Role.MASTER);
                if (head.isPresent()) {
                    removePickup(head.get(), r.masterSae(), Role.MASTER);
                }
            }
            return null;
        });
    }

    @Override
    public void release(Reservation reservation) {
        PeerReservation r = reservation.announcement();
        writer.run(() -> {
            for (KeyComposition key : r.keys()) {
                Long head = findHead(key.keyId(), r.masterSae(), r.masterSae(), Role.MASTER)
                        .orElseThrow(() -> new KeyManagerException(
                                Code.KEY_NOT_AVAILABLE, "reservation of link " + r.linkId() + " is gone"));
                PreparedStatement pickups = ps("DELETE FROM pickup WHERE seq = ?");
                pickups.setLong(1, head);
                pickups.executeUpdate();
                PreparedStatement free = ps("UPDATE stored_key SET state = 'AVAILABLE', master_sae = NULL,"
                        + " head_seq = NULL, part = NULL, size_bits = NULL, expires_at = NULL, updated_at = ?"
                        + " WHERE head_seq = ? AND state = 'RESERVED'");
                free.setLong(1, clock.millis());
                free.setLong(2, head);
                free.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Slave side of a reservation made at the master's KME: reserves the units of every key, composed
     * as announced, for each slave SAE, until the announced expiry. All or nothing.
     *
     * @throws KeyManagerException {@code KEY_NOT_AVAILABLE} unless every unit exists on this link and
     *     is available
     */
    public void markReservedByPeer(PeerReservation r) {
        requireId(r.linkId(), "linkId");
        requireId(r.masterSae(), "masterSae");
        if (r.slaveSaes().isEmpty() || r.keys().isEmpty()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "a peer reservation names slaves and keys");
        }
        r.slaveSaes().forEach(s -> requireId(s, "slaveSae"));
        if (r.slaveSaes().contains(r.masterSae())
                || new HashSet<>(r.slaveSaes()).size() != r.slaveSaes().size()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "slave SAEs must be distinct and differ from master");
        }
        requireDistinct(r.keys().stream().flatMap(k -> k.units().stream()).toList());
        long expiresAt = r.expiresAt().toEpochMilli();
        writer.run(() -> {
            for (KeyComposition key : r.keys()) {
                long head = -1;
                for (int p = 0; p < key.units().size(); p++) {
                    PreparedStatement select =
                            ps("SELECT seq FROM stored_key WHERE key_id = ? AND link_id = ? AND state = 'AVAILABLE'");
                    select.setString(1, key.units().get(p).toString());
                    select.setString(2, r.linkId());
                    long seq;
                    try (ResultSet rs = select.executeQuery()) {
                        if (!rs.next()) {
                            throw new KeyManagerException(
                                    Code.KEY_NOT_AVAILABLE,
                                    "link " + r.linkId() + ": the announced units are not all available here");
                        }
                        seq = rs.getLong(1);
                    }
                    if (p == 0) {
                        head = seq;
                    }
                    setReserved(seq, head, p, p == 0 ? key.sizeBits() : 0, r.masterSae(), expiresAt);
                }
                for (String slave : r.slaveSaes()) {
                    addPickup(head, slave, Role.SLAVE);
                }
            }
            return null;
        });
    }

    @Override
    public KeyBatch deliver(List<UUID> keyIds, String requesterSae, String masterSae) {
        requireId(requesterSae, "requesterSae");
        requireId(masterSae, "masterSae");
        requireDistinct(keyIds);
        return writer.run(
                () -> {
                    List<DeliveredKey> opened = new ArrayList<>(keyIds.size());
                    try {
                        for (UUID keyId : keyIds) {
                            long head = findHead(keyId, requesterSae, masterSae, Role.SLAVE)
                                    .orElseThrow(() -> new KeyManagerException(
                                            Code.KEY_NOT_AVAILABLE,
                                            "one or more keys are not available to " + requesterSae));
                            opened.add(new DeliveredKey(keyId, openKey(head, sizeOf(head))));
                            removePickup(head, requesterSae, Role.SLAVE);
                        }
                        return new KeyBatch(opened);
                    } catch (RuntimeException | SQLException e) {
                        opened.forEach(DeliveredKey::wipe); // rolled back: nobody gets these
                        throw e;
                    }
                },
                KeyBatch::close);
    }

    /**
     * Erases every reservation past its expiry, at this end (the other end erases the same keys at
     * the same announced instant). Runs by itself about once a second; expired keys are refused
     * before that anyway.
     *
     * @return the number of units erased
     */
    public int eraseExpired() {
        return writer.run(this::sweep);
    }

    private int sweep() throws SQLException {
        long now = clock.millis();
        PreparedStatement pickups = ps("DELETE FROM pickup WHERE seq IN (SELECT seq FROM stored_key"
                + " WHERE state = 'RESERVED' AND expires_at <= ?)");
        pickups.setLong(1, now);
        pickups.executeUpdate();
        PreparedStatement erase = ps("UPDATE stored_key SET state = 'ERASED', nonce = NULL, ciphertext = NULL,"
                + " digest = NULL, updated_at = ? WHERE state = 'RESERVED' AND expires_at <= ?");
        erase.setLong(1, now);
        erase.setLong(2, now);
        int erased = erase.executeUpdate();
        if (erased > 0) {
            log.info("Erased {} reserved units past their expiry", erased);
        }
        return erased;
    }

    /** IDs of the link's units whose material this store still holds (available or reserved), sorted. */
    public List<UUID> heldKeyIds(String linkId) {
        return writer.run(() -> {
            List<UUID> ids = new ArrayList<>();
            PreparedStatement st = ps("SELECT key_id FROM stored_key WHERE link_id = ? AND ciphertext IS NOT NULL");
            st.setString(1, linkId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(UUID.fromString(rs.getString(1)));
                }
            }
            ids.sort(null);
            return ids;
        });
    }

    /**
     * SHA-256 over the IDs and material of the given held units, in the given order: two stores hold
     * the same keys exactly when their digests agree, and the digest reveals nothing usable about
     * the keys. Changes no state.
     *
     * @throws KeyManagerException if a unit is unknown or its material is no longer held
     */
    public byte[] digest(List<UUID> keyIds) {
        return writer.run(() -> {
            MessageDigest sha = sha256();
            for (UUID keyId : keyIds) {
                long seq;
                PreparedStatement st = ps("SELECT seq FROM stored_key WHERE key_id = ? AND ciphertext IS NOT NULL");
                st.setString(1, keyId.toString());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new KeyManagerException(
                                Code.KEY_NOT_AVAILABLE, "key " + keyId + " is not held by this store");
                    }
                    seq = rs.getLong(1);
                }
                byte[] material = openUnit(seq, keyId);
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

    /** The state of one unit, if this store has it. */
    public Optional<KeyState> stateOf(UUID keyId) {
        return writer.run(() -> {
            PreparedStatement st = ps("SELECT state FROM stored_key WHERE key_id = ?");
            st.setString(1, keyId.toString());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(KeyState.valueOf(rs.getString(1))) : Optional.empty();
            }
        });
    }

    /** Units decrypted since the store was opened: a probe for tests that must prove no key was read. */
    public long unitsOpened() {
        return unitsOpened.get();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Relay seam: IDs of up to {@code limit} of the link's oldest available units, skipping {@code
     * exclude} (units the caller has already claimed). Changes no state.
     */
    public List<UUID> availableUnitIds(String linkId, int limit, java.util.Set<UUID> exclude) {
        requireId(linkId, "linkId");
        return writer.run(() -> {
            List<UUID> ids = new ArrayList<>(limit);
            PreparedStatement st = ps("SELECT key_id FROM stored_key WHERE link_id = ? AND state = 'AVAILABLE'"
                    + " ORDER BY seq LIMIT ?");
            st.setString(1, linkId);
            st.setLong(2, (long) limit + exclude.size());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next() && ids.size() < limit) {
                    UUID id = UUID.fromString(rs.getString(1));
                    if (!exclude.contains(id)) {
                        ids.add(id);
                    }
                }
            }
            return ids;
        });
    }

    /**
     * Relay seam: takes the named units of the link as a one-time pad. In one durable commit every
     * unit goes from AVAILABLE to ERASED (ciphertext gone); their plaintext is returned in the given
     * order. All or nothing.
     *
     * @throws KeyManagerException {@code KEY_NOT_AVAILABLE} unless every unit is available on this
     *     link; nothing changes then
     */
    public PadUnits takePad(String linkId, List<UUID> unitIds) {
        requireId(linkId, "linkId");
        requireDistinct(unitIds);
        return writer.run(
                () -> {
                    byte[] pad = new byte[unitIds.size() * KEY_BYTES];
                    try {
                        long now = clock.millis();
                        for (int i = 0; i < unitIds.size(); i++) {
                            UUID id = unitIds.get(i);
                            PreparedStatement select = ps("SELECT seq FROM stored_key"
                                    + " WHERE key_id = ? AND link_id = ? AND state = 'AVAILABLE'");
                            select.setString(1, id.toString());
                            select.setString(2, linkId);
                            long seq;
                            try (ResultSet rs = select.executeQuery()) {
                                if (!rs.next()) {
                                    throw new KeyManagerException(
                                            Code.KEY_NOT_AVAILABLE,
                                            "link " + linkId + ": the named pad units are not all available here");
                                }
                                seq = rs.getLong(1);
                            }
                            byte[] unit = openUnit(seq, id);
                            System.arraycopy(unit, 0, pad, i * KEY_BYTES, KEY_BYTES);
                            Arrays.fill(unit, (byte) 0);
                            eraseRow(seq, now);
                        }
                        return new PadUnits(unitIds, pad);
                    } catch (RuntimeException | SQLException e) {
                        Arrays.fill(pad, (byte) 0);
                        throw e;
                    }
                },
                PadUnits::close);
    }

    /**
     * Relay seam: burns the named units of the link that this store still holds (available or
     * reserved), in one durable commit, so that both ends of a rolled-back relay hop lose the same
     * units. Units already erased or delivered, or unknown, are skipped: calling it again is
     * harmless.
     *
     * @return the number of units burned by this call
     */
    public int burn(String linkId, List<UUID> unitIds) {
        requireId(linkId, "linkId");
        return writer.run(() -> {
            long now = clock.millis();
            int burned = 0;
            for (UUID id : unitIds) {
                PreparedStatement select = ps("SELECT seq FROM stored_key"
                        + " WHERE key_id = ? AND link_id = ? AND state IN ('AVAILABLE', 'RESERVED')");
                select.setString(1, id.toString());
                select.setString(2, linkId);
                long seq;
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    seq = rs.getLong(1);
                }
                PreparedStatement pickups = ps("DELETE FROM pickup WHERE seq = ?");
                pickups.setLong(1, seq);
                pickups.executeUpdate();
                eraseRow(seq, now);
                burned++;
            }
            return burned;
        });
    }

    private void eraseRow(long seq, long now) throws SQLException {
        PreparedStatement erase = ps("UPDATE stored_key SET state = 'ERASED', nonce = NULL, ciphertext = NULL,"
                + " digest = NULL, updated_at = ? WHERE seq = ?");
        erase.setLong(1, now);
        erase.setLong(2, seq);
        erase.executeUpdate();
    }

    /** Units of the link that {@link #reserve} could pick. */
    public long availableCount(String linkId) {
        return counts(linkId).available();
    }

    public KeyCounts counts(String linkId) {
        return writer.run(() -> countsNow(linkId));
    }

    @Override
    public LinkStatus linkStatus(String linkId) {
        return new LinkStatus(linkId, counts(linkId), options.capacity(linkId));
    }

    private KeyCounts countsNow(String linkId) throws SQLException {
        long[] byState = new long[KeyState.values().length];
        PreparedStatement st = ps("SELECT state, COUNT(*) FROM stored_key WHERE link_id = ? GROUP BY state");
        st.setString(1, linkId);
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                byState[KeyState.valueOf(rs.getString(1)).ordinal()] = rs.getLong(2);
            }
        }
        return new KeyCounts(
                byState[KeyState.AVAILABLE.ordinal()],
                byState[KeyState.RESERVED.ordinal()],
                byState[KeyState.DELIVERED.ordinal()],
                byState[KeyState.ERASED.ordinal()]);
    }

    private long held(String linkId) throws SQLException {
        KeyCounts counts = countsNow(linkId);
        return counts.available() + counts.reserved();
    }

    /** The one lookup behind every refusal, so that unknown, foreign and spent keys look the same. */
    private Optional<Long> findHead(UUID keyId, String requesterSae, String masterSae, Role role) throws SQLException {
        PreparedStatement st = ps("SELECT k.seq FROM stored_key k JOIN pickup p ON p.seq = k.seq"
                + " WHERE k.key_id = ? AND k.head_seq = k.seq AND k.state = 'RESERVED' AND k.master_sae = ?"
                + " AND k.expires_at > ? AND p.sae_id = ? AND p.role = ?");
        st.setString(1, keyId.toString());
        st.setString(2, masterSae);
        st.setLong(3, clock.millis());
        st.setString(4, requesterSae);
        st.setString(5, role.name());
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }

    private int sizeOf(long head) throws SQLException {
        PreparedStatement st = ps("SELECT size_bits FROM stored_key WHERE seq = ?");
        st.setLong(1, head);
        try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                throw new KeyManagerException(Code.CORRUPT_KEY, "reserved key row " + head + " vanished");
            }
            return rs.getInt(1);
        }
    }

    /** Decrypts the units of the key headed by {@code head} and returns its first sizeBits/8 bytes. */
    private byte[] openKey(long head, int sizeBits) throws SQLException {
        byte[] key = new byte[sizeBits / 8];
        PreparedStatement st =
                ps("SELECT key_id, nonce, ciphertext, digest FROM stored_key" + " WHERE head_seq = ? ORDER BY part");
        st.setLong(1, head);
        int at = 0;
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next() && at < key.length) {
                UUID unitId = UUID.fromString(rs.getString(1));
                if (rs.getBytes(3) == null) {
                    Arrays.fill(key, (byte) 0);
                    throw new KeyManagerException(Code.CORRUPT_KEY, "stored unit " + unitId + " has no ciphertext");
                }
                byte[] unit = sealer.open(unitId, new KeySealer.Sealed(rs.getBytes(2), rs.getBytes(3), rs.getBytes(4)));
                unitsOpened.incrementAndGet();
                int n = Math.min(unit.length, key.length - at);
                System.arraycopy(unit, 0, key, at, n);
                Arrays.fill(unit, (byte) 0);
                at += n;
            }
        } catch (RuntimeException e) {
            Arrays.fill(key, (byte) 0);
            throw e;
        }
        if (at != key.length) {
            Arrays.fill(key, (byte) 0);
            throw new KeyManagerException(Code.CORRUPT_KEY, "reserved key row " + head + " lacks units");
        }
        return key;
    }

    private byte[] openUnit(long seq, UUID keyId) throws SQLException {
        PreparedStatement st = ps("SELECT nonce, ciphertext, digest FROM stored_key WHERE seq = ?");
        st.setLong(1, seq);
        try (ResultSet rs = st.executeQuery()) {
            if (!rs.next() || rs.getBytes(2) == null) {
                throw new KeyManagerException(Code.CORRUPT_KEY, "stored key " + keyId + " has no ciphertext");
            }
            byte[] unit = sealer.open(keyId, new KeySealer.Sealed(rs.getBytes(1), rs.getBytes(2), rs.getBytes(3)));
            unitsOpened.incrementAndGet();
            return unit;
        }
    }

    private void setReserved(long seq, long head, int part, int sizeBits, String masterSae, long expiresAt)
            throws SQLException {
        PreparedStatement st = ps("UPDATE stored_key SET state = 'RESERVED', master_sae = ?, head_seq = ?, part = ?,"
                + " size_bits = ?, expires_at = ?, updated_at = ? WHERE seq = ? AND state = 'AVAILABLE'");
        st.setString(1, masterSae);
        st.setLong(2, head);
        st.setInt(3, part);
        if (sizeBits > 0) {
            st.setInt(4, sizeBits);
        } else {
            st.setNull(4, java.sql.Types.INTEGER);
        }
        st.setLong(5, expiresAt);
        st.setLong(6, clock.millis());
        st.setLong(7, seq);
        if (st.executeUpdate() != 1) {
            throw new IllegalStateException("key row " + seq + " changed inside its transaction");
        }
    }

    private void addPickup(long head, String sae, Role role) throws SQLException {
        PreparedStatement st = ps("INSERT INTO pickup (seq, sae_id, role) VALUES (?, ?, ?)");
        st.setLong(1, head);
        st.setString(2, sae);
        st.setString(3, role.name());
        st.executeUpdate();
    }

    private void removePickup(long head, String sae, Role role) throws SQLException {
        PreparedStatement delete = ps("DELETE FROM pickup WHERE seq = ? AND sae_id = ? AND role = ?");
        delete.setLong(1, head);
        delete.setString(2, sae);
        delete.setString(3, role.name());
        delete.executeUpdate();
        PreparedStatement done = ps("UPDATE stored_key"
                + " SET state = 'DELIVERED', nonce = NULL, ciphertext = NULL, digest = NULL, updated_at = ?"
                + " WHERE head_seq = ? AND state = 'RESERVED'"
                + " AND NOT EXISTS (SELECT 1 FROM pickup WHERE pickup.seq = ?)");
        done.setLong(1, clock.millis());
        done.setLong(2, head);
        done.setLong(3, head);
        done.executeUpdate();
    }

    /** A prepared statement cached for the writer thread, the only one that uses the connection. */
    private PreparedStatement ps(String sql) throws SQLException {
        PreparedStatement st = statements.get(sql);
        if (st == null) {
            st = connection.prepareStatement(sql);
            statements.put(sql, st);
        }
        st.clearParameters();
        return st;
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

    /** Finishes queued operations, checkpoints the WAL into the database file, closes it and wipes keys. */
    @Override
    public void close() {
        if (!writer.stop()) {
            return;
        }
        for (PreparedStatement st : statements.values()) {
            try {
                st.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
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
    }

    @Override
    public String toString() {
        return "KeyStore[" + dbFile + "]";
    }
}
