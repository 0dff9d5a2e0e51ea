package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of a {@link KeyStore}: every SQL statement of the store, each prepared once. Used only on
 * the store's writer thread, inside the transaction of the operation being run. Key material leaves
 * a row only through {@link #openUnits}, {@link #openKeyFor} and {@link #openUnit}, decrypted by the {@link KeySealer}.
 *
 * <p>In every statement here a parameter compared with a column is written {@code +?}
 * and a LIMIT as {@code ? + 0}. The SQLite of the JDBC driver (built with STAT4) lets the bound value
 * of a bare {@code ?} in such places inform the plan (partial-index and LIMIT checks); such a
 * statement is prepared again every time it is run with a new binding, and the driver binds every
 * parameter at every run. For {@link #openKeyFor} that preparation was four fifths of its cost
 * (docs/adr/0016-store-statements-prepared-once.md). The plans are unchanged: the index
 * searches do not depend on the value.
 */
final class KeyTable {
    private static final Logger log = LoggerFactory.getLogger(KeyTable.class);
    /** Who may collect a reserved key: its master SAE once, each named slave SAE once. */
    enum Role {
        MASTER,
        SLAVE
    }

    /** The head row of a reserved key, and the key's size. */
    record Head(long seq, int sizeBits) {}

    /** A key being collected: its head row and its material, which the receiver zeroes. */
    record OpenedKey(long head, byte[] material) {}

    /** A unit picked for a reservation, with its sealed material (read by the same query). */
    record Unit(long seq, UUID keyId, KeySealer.Sealed sealed) {}

    private static final String FORGOTTEN_BEFORE = StoreSchema.FORGOTTEN_BEFORE;

    private final Connection connection;
    private final KeySealer sealer;
    private final Clock clock;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final AtomicLong unitsOpened = new AtomicLong();

    KeyTable(Connection connection, KeySealer sealer, Clock clock) {
        this.connection = connection;
        this.sealer = sealer;
        this.clock = clock;
    }

    boolean blockSeen(String linkId, long blockId) throws SQLException {
        PreparedStatement seen = ps("SELECT 1 FROM block WHERE link_id = +? AND block_id = +?");
        seen.setString(1, linkId);
        seen.setLong(2, blockId);
        try (ResultSet rs = seen.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * Records the block and stores each of its {@code count} units encrypted, available, under the IDs
     * {@code ids} derives; those burned here before they arrived ({@link #burn}) are then erased.
     *
     * @return the units erased on arrival
     */
    int insertBlock(String linkId, long blockId, byte[] keyMaterial, int count, IntFunction<UUID> ids)
            throws SQLException {
        PreparedStatement block =
                ps("INSERT INTO block (link_id, block_id, key_count, ingested_at) VALUES (?, ?, ?, ?)");
        block.setString(1, linkId);
        block.setLong(2, blockId);
        block.setInt(3, count);
        block.setLong(4, clock.millis());
        block.executeUpdate();
        insertUnits(linkId, blockId, keyMaterial, count, ids);
        return eraseBurnedAhead(linkId, count, ids);
    }

    /**
     * Burns the named units of the link this store still holds (available or reserved). A unit of a
     * distilled link that has no row here yet ({@link KeyIds#derive}: its block has not arrived) is
     * remembered instead, up to {@link #MAX_BURNED_AHEAD} per link, and erased when its block is
     * stored, so both ends lose it. Units already erased or delivered are skipped, as are relayed
     * keys' (the relay protocol settles those). A unit whose row a purge deleted cannot be told from
     * one not stored yet: it is remembered too, harmlessly (its block is stored once, so it never
     * comes again), until the burn expires. Calling it again changes nothing more.
     *
     * @return the units burned by this call (not counting those remembered)
     */
    int burn(String linkId, List<UUID> unitIds) throws SQLException {
        int burned = 0;
        long ahead = -1;
        int dropped = 0;
        for (UUID id : unitIds) {
            Optional<Long> seq = unexpendedSeq(id, linkId);
            if (seq.isPresent()) {
                eraseUnit(seq.get());
                burned++;
            } else if (id.version() == 8 && !hasRow(id)) {
                if (ahead < 0) {
                    ahead = burnedAheadCount(linkId);
                }
                if (ahead < MAX_BURNED_AHEAD) {
                    ahead += rememberBurnedAhead(linkId, id);
                } else {
                    dropped++;
                }
            }
        }
        if (dropped > 0) {
            log.warn(
                    "Link {}: {} units burned before they arrived not remembered ({} are already): if they"
                            + " arrive, they stay available here while the peer erased them",
                    linkId,
                    dropped,
                    MAX_BURNED_AHEAD);
        }
        return burned;
    }

    /** Most units of one link remembered as burned before they arrived ({@link #burn}). */
    static final int MAX_BURNED_AHEAD = 65_536;

    /** Whether the store has a row of the unit, in any state. */
    boolean hasRow(UUID keyId) throws SQLException {
        PreparedStatement select = ps("SELECT 1 FROM stored_key WHERE key_id = +?");
        select.setString(1, keyId.toString());
        try (ResultSet rs = select.executeQuery()) {
            return rs.next();
        }
    }

    private long burnedAheadCount(String linkId) throws SQLException {
        PreparedStatement count = ps("SELECT count(*) FROM " + StoreSchema.BURNED_AHEAD + " WHERE link_id = +?");
        count.setString(1, linkId);
        try (ResultSet rs = count.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Units of every link remembered as burned before they arrived. */
    long burnedAheadCount() throws SQLException {
        PreparedStatement count = ps("SELECT count(*) FROM " + StoreSchema.BURNED_AHEAD);
        try (ResultSet rs = count.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private int rememberBurnedAhead(String linkId, UUID keyId) throws SQLException {
        PreparedStatement insert = ps(
                "INSERT OR IGNORE INTO " + StoreSchema.BURNED_AHEAD + " (link_id, key_id, burned_at) VALUES (?, ?, ?)");
        insert.setString(1, linkId);
        insert.setString(2, keyId.toString());
        insert.setLong(3, clock.millis());
        return insert.executeUpdate();
    }

    /** Erases the units of a block just stored that were burned before it arrived, and forgets them. */
    private int eraseBurnedAhead(String linkId, int count, IntFunction<UUID> ids) throws SQLException {
        PreparedStatement any = ps("SELECT 1 FROM " + StoreSchema.BURNED_AHEAD + " WHERE link_id = +? LIMIT 1");
        any.setString(1, linkId);
        try (ResultSet rs = any.executeQuery()) {
            if (!rs.next()) {
                return 0; // the usual case: one lookup a block
            }
        }
        PreparedStatement forget =
                ps("DELETE FROM " + StoreSchema.BURNED_AHEAD + " WHERE link_id = +? AND key_id = +?");
        int erased = 0;
        for (int i = 0; i < count; i++) {
            UUID id = ids.apply(i);
            forget.setString(1, linkId);
            forget.setString(2, id.toString());
            if (forget.executeUpdate() == 1) {
                Optional<Long> seq = unexpendedSeq(id, linkId);
                if (seq.isPresent()) {
                    eraseAvailable(seq.get());
                }
                erased++;
            }
        }
        return erased;
    }

    /**
     * Forgets the units remembered as burned before they arrived ({@link #burn}) before {@code
     * cutoff} (epoch ms): a unit whose block has not come by then never will (its block was
     * withdrawn, or never stored here).
     *
     * @return how many were forgotten
     */
    int expireBurnedAhead(long cutoff) throws SQLException {
        // no index on burned_at: once a pass, over a table of at most MAX_BURNED_AHEAD rows a link
        PreparedStatement delete = ps("DELETE FROM " + StoreSchema.BURNED_AHEAD + " WHERE burned_at < ? + 0");
        delete.setLong(1, cutoff);
        return delete.executeUpdate();
    }

    /**
     * Stores each of the {@code count} units of block {@code blockId} encrypted, available, under the
     * IDs {@code ids} derives, without a row in {@code block} (a relayed key's, {@link
     * RelayStore.Tx#ingest}).
     */
    void insertUnits(String linkId, long blockId, byte[] keyMaterial, int count, IntFunction<UUID> ids)
            throws SQLException {
        long now = clock.millis();
        byte[] plaintext = new byte[KeyStore.KEY_BYTES];
        try {
            PreparedStatement insert = ps("INSERT INTO stored_key"
                    + " (key_id, link_id, block_id, idx, state, nonce, ciphertext, digest, updated_at)"
                    + " VALUES (?, ?, ?, ?, 'AVAILABLE', ?, ?, ?, ?)");
            for (int i = 0; i < count; i++) {
                System.arraycopy(keyMaterial, i * KeyStore.KEY_BYTES, plaintext, 0, KeyStore.KEY_BYTES);
                UUID keyId = ids.apply(i);
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
    }

    /**
     * The oldest {@code limit} available units of the link, the units of {@code half} first: when it
     * has fewer than {@code limit}, the oldest of the other half make up the rest. Of {@link
     * UnitHalf#ANY}, the oldest of the link, merged from the oldest of each half (the index of held
     * units is by half). Fewer if the link has fewer; with their sealed material, so that reserving
     * them needs no second read.
     */
    List<Unit> oldestAvailable(String linkId, long limit, UnitHalf half) throws SQLException {
        if (half == UnitHalf.ANY) {
            List<Unit> even = oldestOfHalf(linkId, limit, UnitHalf.EVEN);
            List<Unit> odd = oldestOfHalf(linkId, limit, UnitHalf.ODD);
            List<Unit> units = new ArrayList<>();
            int e = 0;
            int o = 0;
            while (units.size() < limit && (e < even.size() || o < odd.size())) {
                boolean fromEven = o == odd.size()
                        || (e < even.size() && even.get(e).seq() < odd.get(o).seq());
                units.add(fromEven ? even.get(e++) : odd.get(o++));
            }
            return units;
        }
        List<Unit> units = oldestOfHalf(linkId, limit, half);
        if (units.size() < limit) {
            units.addAll(oldestOfHalf(linkId, limit - units.size(), half.other()));
        }
        return units;
    }

    /**
     * The oldest {@code limit} available units of the link in {@code half} (not {@link
     * UnitHalf#ANY}), fewer if it has fewer, with their sealed material; the index of each half keeps
     * this from scanning the other's units.
     */
    List<Unit> oldestOfHalf(String linkId, long limit, UnitHalf half) throws SQLException {
        // +? and ? + 0 keep the statement prepared once (docs/adr/0016-store-statements-prepared-once.md)
        PreparedStatement select = ps("SELECT seq, key_id, nonce, ciphertext, digest FROM stored_key"
                + " WHERE link_id = +? AND state = 'AVAILABLE' AND " + StoreSchema.PARITY_ODD + " = +? AND "
                + StoreSchema.HELD + " ORDER BY seq LIMIT ? + 0");
        select.setString(1, linkId);
        select.setInt(2, half.lastBit());
        select.setLong(3, limit);
        return units(select);
    }

    /** How many available units the link's {@code half} holds, counted up to {@code limit}. */
    long countOfHalf(String linkId, UnitHalf half, long limit) throws SQLException {
        PreparedStatement count = ps("SELECT COUNT(*) FROM (SELECT 1 FROM stored_key WHERE link_id = +?"
                + " AND state = 'AVAILABLE' AND " + StoreSchema.PARITY_ODD + " = +? AND " + StoreSchema.HELD
                + " LIMIT ? + 0)");
        count.setString(1, linkId);
        count.setInt(2, half.lastBit());
        count.setLong(3, limit);
        try (ResultSet rs = count.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Erases the available units of the link's {@code half} up to row {@code upToSeq}: the oldest of
     * the half, as {@link #oldestOfHalf} picked them in this transaction, in one statement. Returns
     * how many it erased.
     */
    int eraseOldestOfHalf(String linkId, UnitHalf half, long upToSeq) throws SQLException {
        PreparedStatement erase = ps("UPDATE stored_key SET state = 'ERASED', nonce = NULL, ciphertext = NULL,"
                + " digest = NULL, updated_at = ? WHERE link_id = +? AND state = 'AVAILABLE' AND "
                + StoreSchema.PARITY_ODD + " = +? AND " + StoreSchema.HELD + " AND seq <= ? + 0");
        erase.setLong(1, clock.millis());
        erase.setString(2, linkId);
        erase.setInt(3, half.lastBit());
        erase.setLong(4, upToSeq);
        return erase.executeUpdate();
    }

    private static List<Unit> units(PreparedStatement select) throws SQLException {
        List<Unit> units = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                units.add(new Unit(
                        rs.getLong(1),
                        UUID.fromString(rs.getString(2)),
                        new KeySealer.Sealed(rs.getBytes(3), rs.getBytes(4), rs.getBytes(5))));
            }
        }
        return units;
    }

    /** The row of an available unit of the link, if there is one. */
    Optional<Long> availableSeq(UUID keyId, String linkId) throws SQLException {
        PreparedStatement select =
                ps("SELECT seq FROM stored_key WHERE key_id = +? AND link_id = +? AND state = 'AVAILABLE'");
        select.setString(1, keyId.toString());
        select.setString(2, linkId);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }

    /**
     * An available unit of the link with its sealed material, if there is one: {@link #availableSeq}
     * and the read of {@link #openUnit} in one statement.
     */
    Optional<Unit> availableUnit(UUID keyId, String linkId) throws SQLException {
        PreparedStatement select = ps("SELECT seq, nonce, ciphertext, digest FROM stored_key"
                + " WHERE key_id = +? AND link_id = +? AND state = 'AVAILABLE'");
        select.setString(1, keyId.toString());
        select.setString(2, linkId);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next()
                    ? Optional.of(new Unit(
                            rs.getLong(1), keyId, new KeySealer.Sealed(rs.getBytes(2), rs.getBytes(3), rs.getBytes(4))))
                    : Optional.empty();
        }
    }

    /** The row of a unit of the link that is available or reserved (not yet delivered or erased). */
    Optional<Long> unexpendedSeq(UUID keyId, String linkId) throws SQLException {
        PreparedStatement select = ps("SELECT seq FROM stored_key"
                + " WHERE key_id = +? AND link_id = +? AND state IN ('AVAILABLE', 'RESERVED')");
        select.setString(1, keyId.toString());
        select.setString(2, linkId);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }

    /** Erases one unit: its pickups go, its ciphertext and digest are cleared. */
    void eraseUnit(long seq) throws SQLException {
        PreparedStatement pickups = ps("DELETE FROM pickup WHERE seq = +?");
        pickups.setLong(1, seq);
        pickups.executeUpdate();
        PreparedStatement erase = ps("UPDATE stored_key SET state = 'ERASED', nonce = NULL, ciphertext = NULL,"
                + " digest = NULL, updated_at = ? WHERE seq = +?");
        erase.setLong(1, clock.millis());
        erase.setLong(2, seq);
        erase.executeUpdate();
    }

    /**
     * Erases one available unit, which has no pickups (only a reserved key has any): one statement
     * where {@link #eraseUnit} needs two. Fails if the row is not available.
     */
    void eraseAvailable(long seq) throws SQLException {
        PreparedStatement erase = ps("UPDATE stored_key SET state = 'ERASED', nonce = NULL, ciphertext = NULL,"
                + " digest = NULL, updated_at = ? WHERE seq = +? AND state = 'AVAILABLE'");
        erase.setLong(1, clock.millis());
        erase.setLong(2, seq);
        if (erase.executeUpdate() != 1) {
            throw new IllegalStateException("key row " + seq + " is no longer available inside its transaction");
        }
    }

    /** The row of a unit whose material is still held, if there is one. */
    Optional<Long> heldSeq(UUID keyId) throws SQLException {
        PreparedStatement st = ps("SELECT seq FROM stored_key WHERE key_id = +? AND ciphertext IS NOT NULL");
        st.setString(1, keyId.toString());
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }

    List<UUID> heldKeyIds(String linkId) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        // every held unit has its ciphertext; the condition of the held index lets the planner use it
        PreparedStatement st = ps("SELECT key_id FROM stored_key WHERE link_id = +? AND " + StoreSchema.HELD
                + " AND ciphertext IS NOT NULL");
        st.setString(1, linkId);
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                ids.add(UUID.fromString(rs.getString(1)));
            }
        }
        return ids;
    }

    /** A unit's row and state as {@code {seq, state ordinal}}, if the store has the unit on that link and block. */
    Optional<long[]> unitOfBlock(UUID keyId, String linkId, long blockId) throws SQLException {
        PreparedStatement st =
                ps("SELECT seq, state FROM stored_key WHERE key_id = +? AND link_id = +? AND block_id = +?");
        st.setString(1, keyId.toString());
        st.setString(2, linkId);
        st.setLong(3, blockId);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next()
                    ? Optional.of(new long[] {
                        rs.getLong(1), KeyState.valueOf(rs.getString(2)).ordinal()
                    })
                    : Optional.empty();
        }
    }

    Optional<KeyState> stateOf(UUID keyId) throws SQLException {
        PreparedStatement st = ps("SELECT state FROM stored_key WHERE key_id = +?");
        st.setString(1, keyId.toString());
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(KeyState.valueOf(rs.getString(1))) : Optional.empty();
        }
    }

    /**
     * The link's units available and reserved, as {@code {available, reserved}}: two ranges of the
     * index by link and state, so the cost follows the units held, not the delivered and erased
     * units whose rows the store keeps for its spent retention ({@link #counts} reads those too).
     */
    long[] held(String linkId) throws SQLException {
        long[] held = new long[2];
        PreparedStatement st = ps("SELECT state, COUNT(*) FROM stored_key WHERE link_id = +? AND " + StoreSchema.HELD
                + " GROUP BY state");
        st.setString(1, linkId);
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                held[KeyState.valueOf(rs.getString(1)) == KeyState.AVAILABLE ? 0 : 1] = rs.getLong(2);
            }
        }
        return held;
    }

    /**
     * The link's units in every state. It reads every row of the store (no index holds the delivered
     * and erased units by link), so it is for tests and diagnostics;
     * {@link #held} counts a link's pool.
     */
    KeyCounts counts(String linkId) throws SQLException {
        long[] byState = new long[KeyState.values().length];
        PreparedStatement st = ps("SELECT state, COUNT(*) FROM stored_key WHERE link_id = +? GROUP BY state");
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

    /** The one lookup behind every refusal, so that unknown, foreign and spent keys look the same. */
    Optional<Long> findHead(UUID keyId, String requesterSae, String masterSae, Role role) throws SQLException {
        return findKey(keyId, requesterSae, masterSae, role).map(Head::seq);
    }

    /** {@link #findHead} with the key's size, read by the same query. */
    Optional<Head> findKey(UUID keyId, String requesterSae, String masterSae, Role role) throws SQLException {
        PreparedStatement st = ps("SELECT k.seq, k.size_bits FROM stored_key k JOIN pickup p ON p.seq = k.seq"
                + " WHERE k.key_id = +? AND k.head_seq = k.seq AND k.state = 'RESERVED' AND k.master_sae = +?"
                + " AND k.expires_at > +? AND p.sae_id = +? AND p.role = +?");
        st.setString(1, keyId.toString());
        st.setString(2, masterSae);
        st.setLong(3, clock.millis());
        st.setString(4, requesterSae);
        st.setString(5, role.name());
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(new Head(rs.getLong(1), rs.getInt(2))) : Optional.empty();
        }
    }

    /**
     * Decrypts the units of one key, in order, and returns its first sizeBits/8 bytes; the caller
     * zeroes the result.
     */
    byte[] openUnits(List<Unit> units, int sizeBits) {
        if (sizeBits <= 0) {
            throw new KeyManagerException(Code.CORRUPT_KEY, "reserved key of " + units.size() + " units has no size");
        }
        byte[] key = new byte[sizeBits / 8];
        int at = 0;
        try {
            for (Unit u : units) {
                if (at == key.length) {
                    break;
                }
                if (u.sealed().ciphertext() == null) {
                    throw new KeyManagerException(Code.CORRUPT_KEY, "stored unit " + u.keyId() + " has no ciphertext");
                }
                byte[] unit = sealer.open(u.keyId(), u.sealed());
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
            throw new KeyManagerException(Code.CORRUPT_KEY, "reserved key of " + units.size() + " units lacks units");
        }
        return key;
    }

    /**
     * A reserved key that {@code requesterSae} may collect in {@code role}, decrypted: {@link
     * #findKey}'s conditions, and the key's units with their material read by the same query. Empty
     * for an unknown, foreign, spent or expired key alike. The caller zeroes the key.
     */
    Optional<OpenedKey> openKeyFor(UUID keyId, String requesterSae, String masterSae, Role role) throws SQLException {
        PreparedStatement st = ps("SELECT k.seq, k.size_bits, u.seq, u.key_id, u.nonce, u.ciphertext, u.digest"
                + " FROM stored_key k JOIN pickup p ON p.seq = k.seq JOIN stored_key u ON u.head_seq = k.seq"
                + " WHERE k.key_id = +? AND k.head_seq = k.seq AND k.state = 'RESERVED' AND k.master_sae = +?"
                + " AND k.expires_at > +? AND p.sae_id = +? AND p.role = +? ORDER BY u.part");
        st.setString(1, keyId.toString());
        st.setString(2, masterSae);
        st.setLong(3, clock.millis());
        st.setString(4, requesterSae);
        st.setString(5, role.name());
        long head = -1;
        int sizeBits = 0;
        List<Unit> units = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                head = rs.getLong(1);
                sizeBits = rs.getInt(2);
                units.add(new Unit(
                        rs.getLong(3),
                        UUID.fromString(rs.getString(4)),
                        new KeySealer.Sealed(rs.getBytes(5), rs.getBytes(6), rs.getBytes(7))));
            }
        }
        return units.isEmpty() ? Optional.empty() : Optional.of(new OpenedKey(head, openUnits(units, sizeBits)));
    }

    /** Decrypts one held unit; the caller zeroes the result. */
    byte[] openUnit(long seq, UUID keyId) throws SQLException {
        PreparedStatement st = ps("SELECT nonce, ciphertext, digest FROM stored_key WHERE seq = +?");
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

    /** Decrypts a unit read with its sealed material; the caller zeroes the result. */
    byte[] openSealed(Unit unit) {
        if (unit.sealed().ciphertext() == null) {
            throw new KeyManagerException(Code.CORRUPT_KEY, "stored key " + unit.keyId() + " has no ciphertext");
        }
        byte[] material = sealer.open(unit.keyId(), unit.sealed());
        unitsOpened.incrementAndGet();
        return material;
    }

    /**
     * The units, read with their sealed material, as a pad that the thread which first reads it opens
     * (with an opener it makes: {@link KeySealer#opener}), not this one.
     */
    PadUnits sealedPad(List<Unit> units) {
        return PadUnits.sealed(units, sealer::opener, unitsOpened);
    }

    long unitsOpened() {
        return unitsOpened.get();
    }

    void setReserved(long seq, long head, int part, int sizeBits, String masterSae, long expiresAt)
            throws SQLException {
        setReserved(seq, head, part, sizeBits, masterSae, expiresAt, 0);
    }

    /**
     * Reserves an available unit as part {@code part} of the key headed by {@code head}; {@code
     * announced} is the number of the peer's announcement that reserved it, or 0 for none (stored
     * as NULL).
     */
    void setReserved(long seq, long head, int part, int sizeBits, String masterSae, long expiresAt, long announced)
            throws SQLException {
        PreparedStatement st = ps(
                "UPDATE stored_key SET state = 'RESERVED', master_sae = ?, head_seq = ?, part = ?,"
                        + " size_bits = ?, expires_at = ?, updated_at = ?, announced = ? WHERE seq = +? AND state = 'AVAILABLE'");
        st.setString(1, masterSae);
        st.setLong(2, head);
        st.setInt(3, part);
        if (sizeBits > 0) {
            st.setInt(4, sizeBits);
        } else {
            st.setNull(4, Types.INTEGER);
        }
        st.setLong(5, expiresAt);
        st.setLong(6, clock.millis());
        if (announced > 0) {
            st.setLong(7, announced);
        } else {
            st.setNull(7, Types.BIGINT);
        }
        st.setLong(8, seq);
        if (st.executeUpdate() != 1) {
            throw new IllegalStateException("key row " + seq + " changed inside its transaction");
        }
    }

    void addPickup(long head, String sae, Role role) throws SQLException {
        PreparedStatement st = ps("INSERT INTO pickup (seq, sae_id, role) VALUES (?, ?, ?)");
        st.setLong(1, head);
        st.setString(2, sae);
        st.setString(3, role.name());
        st.executeUpdate();
    }

    /** Records one collection; the key's material is erased once nobody is left to collect it. */
    void removePickup(long head, String sae, Role role) throws SQLException {
        PreparedStatement delete = ps("DELETE FROM pickup WHERE seq = +? AND sae_id = +? AND role = +?");
        delete.setLong(1, head);
        delete.setString(2, sae);
        delete.setString(3, role.name());
        delete.executeUpdate();
        if (!deliverIfCollected(head)) {
            clearAnnounced(head);
        }
    }

    /**
     * The master's collection of the key {@code keyId} headed by {@code head}, as {@link #findHead} then {@link
     * #removePickup} would do it (same conditions: reserved by {@code masterSae}, not expired, the
     * master's pickup still open) but in one statement for the lookup and the removal.
     */
    void removeMasterPickup(long head, UUID keyId, String masterSae) throws SQLException {
        PreparedStatement delete = ps("DELETE FROM pickup WHERE seq = +? AND sae_id = +? AND role = 'MASTER'"
                + " AND EXISTS (SELECT 1 FROM stored_key k WHERE k.seq = pickup.seq AND k.key_id = +?"
                + " AND k.head_seq = k.seq AND k.state = 'RESERVED' AND k.master_sae = +? AND k.expires_at > +?)");
        delete.setLong(1, head);
        delete.setString(2, masterSae);
        delete.setString(3, keyId.toString());
        delete.setString(4, masterSae);
        delete.setLong(5, clock.millis());
        if (delete.executeUpdate() == 1) {
            deliverIfCollected(head);
        }
    }

    /**
     * How a unit that is not available stands, as the slave's KME sees it when an announcement
     * names it: empty when the link has no such unit.
     *
     * @param state the unit's state
     * @param head the row heading its key, 0 unless reserved
     * @param announced the number of the announcement that reserved its key, 0 if none or if a
     *     slave collected part of it
     */
    record PeerView(KeyState state, long head, long announced) {}

    Optional<PeerView> peerView(UUID keyId, String linkId) throws SQLException {
        PreparedStatement st = ps("SELECT u.state, u.head_seq, h.announced FROM stored_key u"
                + " LEFT JOIN stored_key h ON h.seq = u.head_seq WHERE u.key_id = +? AND u.link_id = +?");
        st.setString(1, keyId.toString());
        st.setString(2, linkId);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next()
                    ? Optional.of(new PeerView(KeyState.valueOf(rs.getString(1)), rs.getLong(2), rs.getLong(3)))
                    : Optional.empty();
        }
    }

    /** A slave collected part of the key: no later announcement may take its units back. */
    private void clearAnnounced(long head) throws SQLException {
        PreparedStatement st = ps("UPDATE stored_key SET announced = NULL WHERE seq = +? AND announced IS NOT NULL");
        st.setLong(1, head);
        st.executeUpdate();
    }

    /** Erases the named units of the link that are available; returns how many it erased. */
    int eraseAvailable(List<UUID> keyIds, String linkId) throws SQLException {
        PreparedStatement st = ps("UPDATE stored_key SET state = 'ERASED', nonce = NULL, ciphertext = NULL,"
                + " digest = NULL, updated_at = ? WHERE key_id = +? AND link_id = +? AND state = 'AVAILABLE'");
        int erased = 0;
        for (UUID keyId : keyIds) {
            st.setLong(1, clock.millis());
            st.setString(2, keyId.toString());
            st.setString(3, linkId);
            erased += st.executeUpdate();
        }
        return erased;
    }

    /**
     * The named units of the link that were stored before {@code beforeMillis}: by their block's
     * ingest time, or for a relayed key (no block row) by the time in its ID (a version-7 UUID). A
     * unit of neither is left out.
     */
    List<UUID> storedBefore(List<UUID> keyIds, String linkId, long beforeMillis) throws SQLException {
        PreparedStatement st = ps("SELECT b.ingested_at FROM stored_key k LEFT JOIN block b"
                + " ON b.link_id = k.link_id AND b.block_id = k.block_id WHERE k.key_id = +? AND k.link_id = +?");
        List<UUID> old = new ArrayList<>();
        for (UUID keyId : keyIds) {
            st.setString(1, keyId.toString());
            st.setString(2, linkId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    continue;
                }
                long at = rs.getLong(1);
                if (rs.wasNull()) {
                    if (keyId.version() != 7) {
                        continue;
                    }
                    at = keyId.getMostSignificantBits() >>> 16;
                }
                if (at < beforeMillis) {
                    old.add(keyId);
                }
            }
        }
        return old;
    }

    /** What one {@link #purgeSpent} call did: the last row it looked at, how many it looked at and deleted. */
    record PurgeSweep(long lastSeq, int looked, int deleted) {}

    /** Receives a relayed block mark raised by {@link #purgeSpent}: end-to-end link, side, block. */
    @FunctionalInterface
    interface MarkRaised {
        void raised(String linkId, int side, long block);
    }

    /** The rows {@link #purgeSpent} deletes; its three parameters: after, up to, spent before. */
    private static final String PURGEABLE = "seq > +? AND seq <= +? AND state IN ('DELIVERED', 'ERASED')"
            + " AND updated_at < +? AND NOT EXISTS (SELECT 1 FROM pickup WHERE pickup.seq = stored_key.seq)";

    /**
     * Deletes the delivered and erased units spent before {@code spentBefore} (epoch ms) among the
     * {@code limit} rows after {@code afterSeq} and up to {@code upToSeq}; a row that still has a
     * pickup stays (a spent unit has none). First, in the same transaction, it records what the rows
     * answered: per end-to-end link and side the highest relayed block deleted ({@code
     * relayed_forgotten_mark}, also given to {@code raised} before any row goes), and on a distilled
     * block's row whether an erased or a delivered unit of it is deleted ({@code block.forgotten_units}).
     */
    PurgeSweep purgeSpent(long afterSeq, long upToSeq, int limit, long spentBefore, MarkRaised raised)
            throws SQLException {
        PreparedStatement window = ps("SELECT count(*), max(seq) FROM (SELECT seq FROM stored_key"
                + " WHERE seq > +? AND seq <= +? ORDER BY seq LIMIT ? + 0)");
        window.setLong(1, afterSeq);
        window.setLong(2, upToSeq);
        window.setInt(3, limit);
        int looked;
        long last;
        try (ResultSet rs = window.executeQuery()) {
            rs.next();
            looked = rs.getInt(1);
            last = looked == 0 ? upToSeq : rs.getLong(2);
        }
        if (looked == 0) {
            return new PurgeSweep(last, 0, 0);
        }
        PreparedStatement relayed = ps("SELECT link_id, block_id & 1, max(block_id) FROM stored_key WHERE " + PURGEABLE
                + " AND " + StoreSchema.RELAYED_KEY_ID + " GROUP BY link_id, block_id & 1");
        bindPurgeable(relayed, afterSeq, last, spentBefore);
        PreparedStatement mark = ps("INSERT INTO " + StoreSchema.RELAYED_FORGOTTEN_MARK
                + " (link_id, side, mark) VALUES (?, ?, ?)"
                + " ON CONFLICT (link_id, side) DO UPDATE SET mark = max(mark, excluded.mark)");
        try (ResultSet rs = relayed.executeQuery()) {
            while (rs.next()) {
                raised.raised(rs.getString(1), rs.getInt(2), rs.getLong(3));
                mark.setString(1, rs.getString(1));
                mark.setInt(2, rs.getInt(2));
                mark.setLong(3, rs.getLong(3));
                mark.executeUpdate();
            }
        }
        for (KeyState state : new KeyState[] {KeyState.ERASED, KeyState.DELIVERED}) {
            int bit = state == KeyState.ERASED ? StoreSchema.FORGOTTEN_ERASED : StoreSchema.FORGOTTEN_DELIVERED;
            PreparedStatement forgotten = ps("UPDATE block SET forgotten_units = forgotten_units | " + bit
                    + " WHERE forgotten_units & " + bit + " = 0 AND (link_id, block_id) IN"
                    + " (SELECT link_id, block_id FROM stored_key WHERE " + PURGEABLE + " AND state = '" + state
                    + "')");
            bindPurgeable(forgotten, afterSeq, last, spentBefore);
            forgotten.executeUpdate();
        }
        PreparedStatement delete = ps("DELETE FROM stored_key WHERE " + PURGEABLE);
        bindPurgeable(delete, afterSeq, last, spentBefore);
        return new PurgeSweep(last, looked, delete.executeUpdate());
    }

    private static void bindPurgeable(PreparedStatement st, long afterSeq, long upToSeq, long spentBefore)
            throws SQLException {
        st.setLong(1, afterSeq);
        st.setLong(2, upToSeq);
        st.setLong(3, spentBefore);
    }

    /**
     * Per end-to-end link, the relayed forgotten marks of its two sides (-1 for none): read once, when
     * the store opens, so not kept prepared (it reads the whole table, a row per link and side).
     */
    Map<String, long[]> relayedForgottenMarks() throws SQLException {
        Map<String, long[]> marks = new HashMap<>();
        try (Statement st = connection.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT link_id, side, mark FROM " + StoreSchema.RELAYED_FORGOTTEN_MARK)) {
            while (rs.next()) {
                marks.computeIfAbsent(rs.getString(1), link -> new long[] {-1, -1})[rs.getInt(2)] = rs.getLong(3);
            }
        }
        return marks;
    }

    /** Raises the store's forgotten-before time ({@link #forgottenBefore}) to {@code millis}. */
    void raiseForgottenBefore(long millis) throws SQLException {
        PreparedStatement mark = ps("INSERT INTO store_meta (name, value) VALUES ('" + FORGOTTEN_BEFORE
                + "', ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)");
        mark.setLong(1, millis);
        mark.executeUpdate();
    }

    /**
     * The time (epoch ms) before which units spent here may have been deleted ({@link #purgeSpent}),
     * 0 if no purge ran.
     */
    long forgottenBefore() throws SQLException {
        PreparedStatement st = ps("SELECT value FROM store_meta WHERE name = '" + FORGOTTEN_BEFORE + "'");
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The newest row of the key table, 0 if it has none. */
    long lastSeq() throws SQLException {
        try (ResultSet rs = ps("SELECT max(seq) FROM stored_key").executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Advances the announcement epoch of this store and returns its new value. */
    long nextAnnouncementEpoch() throws SQLException {
        PreparedStatement bump = ps("UPDATE store_meta SET value = value + 1 WHERE name = 'announcement_epoch'");
        if (bump.executeUpdate() != 1) {
            throw new KeyManagerException(Code.STORAGE, "the key store has no announcement epoch");
        }
        PreparedStatement read = ps("SELECT value FROM store_meta WHERE name = 'announcement_epoch'");
        try (ResultSet rs = read.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Erases the material of the key headed by {@code head} once nobody is left to collect it;
     * returns whether it did.
     */
    private boolean deliverIfCollected(long head) throws SQLException {
        // "+state": look the key's units up by head_seq, not by the short list of reserved rows
        PreparedStatement done = ps("UPDATE stored_key"
                + " SET state = 'DELIVERED', nonce = NULL, ciphertext = NULL, digest = NULL, updated_at = ?"
                + " WHERE head_seq = +? AND +state = 'RESERVED'"
                + " AND NOT EXISTS (SELECT 1 FROM pickup WHERE pickup.seq = +?)");
        done.setLong(1, clock.millis());
        done.setLong(2, head);
        done.setLong(3, head);
        return done.executeUpdate() > 0;
    }

    /** Makes the units of the reserved key headed by {@code head} available again. */
    void free(long head) throws SQLException {
        PreparedStatement pickups = ps("DELETE FROM pickup WHERE seq = +?");
        pickups.setLong(1, head);
        pickups.executeUpdate();
        PreparedStatement free = ps("UPDATE stored_key SET state = 'AVAILABLE', master_sae = NULL,"
                + " head_seq = NULL, part = NULL, size_bits = NULL, expires_at = NULL, announced = NULL, updated_at = ?"
                + " WHERE head_seq = +? AND state = 'RESERVED'");
        free.setLong(1, clock.millis());
        free.setLong(2, head);
        free.executeUpdate();
    }

    /** Erases every reservation past its expiry; returns the number of units erased. */
    int eraseExpired() throws SQLException {
        long now = clock.millis();
        PreparedStatement pickups = ps("DELETE FROM pickup WHERE seq IN (SELECT seq FROM stored_key"
                + " WHERE state = 'RESERVED' AND expires_at <= +?)");
        pickups.setLong(1, now);
        pickups.executeUpdate();
        PreparedStatement erase = ps("UPDATE stored_key SET state = 'ERASED', nonce = NULL, ciphertext = NULL,"
                + " digest = NULL, updated_at = ? WHERE state = 'RESERVED' AND expires_at <= +?");
        erase.setLong(1, now);
        erase.setLong(2, now);
        return erase.executeUpdate();
    }

    /** A prepared statement cached for the writer thread, the only one that uses the connection. */
    PreparedStatement ps(String sql) throws SQLException {
        PreparedStatement st = statements.get(sql);
        if (st == null) {
            st = connection.prepareStatement(sql);
            statements.put(sql, st);
        }
        st.clearParameters();
        return st;
    }

    /** The SQL of every statement prepared so far (writer thread only; for tests). */
    List<String> preparedSql() {
        return List.copyOf(statements.keySet());
    }

    /** Closes the prepared statements; the connection stays open. */
    void closeStatements() {
        for (PreparedStatement st : statements.values()) {
            try {
                st.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
    }
}
