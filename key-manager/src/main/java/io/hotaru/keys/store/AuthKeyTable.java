package io.hotaru.keys.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rows of an {@link AuthKeyStore} in the key store's file: per pool (a link's distillation or
 * relay authentication key) its two marks, and its deposits sealed like every stored key. Used only
 * on the store's writer thread, inside the transaction of the operation being run.
 *
 * <pre>
 * auth_key_mark    (pool PK, ab_mark, ba_mark)        words below a mark may have been used
 * auth_key_deposit (pool, idx, first_word, words, nonce, ciphertext, digest)   PK (pool, idx)
 * auth_bootstrap   (fingerprint PK, pool, created_at)   every bootstrap secret this store took
 * auth_key_held    (pool, ab, from_word) PK (pool, ab) words of a direction held from here (relay refill)
 * </pre>
 */
final class AuthKeyTable {
    /** A deposit as stored: its place in the word streams and its key, decrypted. */
    record Deposit(long index, long firstWord, long words, byte[] key) {}

    /** A pool's marks per direction. */
    record Marks(long aliceToBob, long bobToAlice) {}

    /** The ID bootstrap fingerprints are made under, apart from every unit's and deposit's. */
    private static final UUID BOOTSTRAP_ID = KeyIds.derive("auth-bootstrap", 0, 0);

    private final Connection connection;
    private final KeySealer sealer;

    AuthKeyTable(Connection connection, KeySealer sealer) {
        this.connection = connection;
        this.sealer = sealer;
    }

    /** Creates the tables if this file has none yet (a store made before they existed). */
    void createIfMissing() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("CREATE TABLE IF NOT EXISTS auth_key_mark (pool TEXT PRIMARY KEY,"
                    + " ab_mark INTEGER NOT NULL, ba_mark INTEGER NOT NULL)");
            st.executeUpdate("CREATE TABLE IF NOT EXISTS auth_key_deposit (pool TEXT NOT NULL, idx INTEGER NOT NULL,"
                    + " first_word INTEGER NOT NULL, words INTEGER NOT NULL, nonce BLOB NOT NULL,"
                    + " ciphertext BLOB NOT NULL, digest BLOB NOT NULL, PRIMARY KEY (pool, idx))");
            st.executeUpdate("CREATE TABLE IF NOT EXISTS auth_key_held (pool TEXT NOT NULL, ab INTEGER NOT NULL,"
                    + " from_word INTEGER NOT NULL, PRIMARY KEY (pool, ab)) WITHOUT ROWID");
            st.executeUpdate("CREATE TABLE IF NOT EXISTS auth_bootstrap (fingerprint BLOB PRIMARY KEY,"
                    + " pool TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID");
        }
    }

    /** A bootstrap secret taken before: by which pool, when (epoch ms). */
    record Bootstrap(String pool, long createdAt) {}

    /** The keyed fingerprint a bootstrap secret is known by ({@link KeySealer#fingerprint}). */
    byte[] bootstrapFingerprint(byte[] secret) {
        return sealer.fingerprint(BOOTSTRAP_ID, secret);
    }

    /** The pool that took the bootstrap secret of {@code fingerprint}, if one did. */
    Bootstrap bootstrapOf(byte[] fingerprint) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT pool, created_at FROM auth_bootstrap WHERE fingerprint = ?")) {
            ps.setBytes(1, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Bootstrap(rs.getString(1), rs.getLong(2)) : null;
            }
        }
    }

    void recordBootstrap(byte[] fingerprint, String pool, long createdAt) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO auth_bootstrap (fingerprint, pool, created_at) VALUES (?, ?, ?)")) {
            ps.setBytes(1, fingerprint);
            ps.setString(2, pool);
            ps.setLong(3, createdAt);
            ps.executeUpdate();
        }
    }

    /** The marks of {@code pool}, or null if it has no state. */
    Marks marks(String pool) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT ab_mark, ba_mark FROM auth_key_mark WHERE pool = ?")) {
            ps.setString(1, pool);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Marks(rs.getLong(1), rs.getLong(2)) : null;
            }
        }
    }

    void createMarks(String pool) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("INSERT INTO auth_key_mark (pool, ab_mark, ba_mark) VALUES (?, 0, 0)")) {
            ps.setString(1, pool);
            ps.executeUpdate();
        }
    }

    /**
     * Moves one mark forward (never back), then erases the deposits both marks have passed, all but
     * the newest not held (which tells where the next deposit starts, even once the held ones are
     * withdrawn).
     */
    void advanceMark(String pool, boolean aliceToBob, long mark) throws SQLException {
        String column = aliceToBob ? "ab_mark" : "ba_mark";
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE auth_key_mark SET " + column + " = max(" + column + ", ?) WHERE pool = ?")) {
            ps.setLong(1, mark);
            ps.setString(2, pool);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("no authentication key state for " + pool);
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM auth_key_deposit WHERE pool = ?"
                + " AND first_word + words <= (SELECT min(ab_mark, ba_mark) FROM auth_key_mark WHERE pool = ?)"
                + " AND idx < (SELECT max(idx) FROM auth_key_deposit WHERE pool = ? AND first_word < coalesce("
                + "(SELECT min(from_word) FROM auth_key_held WHERE pool = ?), 9223372036854775807))")) {
            ps.setString(1, pool);
            ps.setString(2, pool);
            ps.setString(3, pool);
            ps.setString(4, pool);
            ps.executeUpdate(); // secure_delete overwrites the erased ciphertexts
        }
    }

    /** Deletes deposit {@code fromIndex} of {@code pool} and every later one. */
    void deleteDepositsFrom(String pool, long fromIndex) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("DELETE FROM auth_key_deposit WHERE pool = ? AND idx >= ?")) {
            ps.setString(1, pool);
            ps.setLong(2, fromIndex);
            ps.executeUpdate(); // secure_delete overwrites the erased ciphertexts
        }
    }

    void insertDeposit(String pool, long index, long firstWord, byte[] key) throws SQLException {
        KeySealer.Sealed sealed = sealer.seal(depositId(pool, index), key);
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO auth_key_deposit"
                + " (pool, idx, first_word, words, nonce, ciphertext, digest) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, pool);
            ps.setLong(2, index);
            ps.setLong(3, firstWord);
            ps.setLong(4, key.length / 16);
            ps.setBytes(5, sealed.nonce());
            ps.setBytes(6, sealed.ciphertext());
            ps.setBytes(7, sealed.digest());
            ps.executeUpdate();
        }
    }

    /**
     * The deposits kept for {@code pool}, oldest first, decrypted (the caller zeroes the keys).
     *
     * @throws KeyManagerException ({@link KeyManagerException.Code#CORRUPT_KEY}) if one fails its
     *     integrity check
     */
    List<Deposit> deposits(String pool) throws SQLException {
        List<Deposit> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT idx, first_word, words, nonce, ciphertext,"
                + " digest FROM auth_key_deposit WHERE pool = ? ORDER BY idx")) {
            ps.setString(1, pool);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long index = rs.getLong(1);
                    KeySealer.Sealed sealed = new KeySealer.Sealed(rs.getBytes(4), rs.getBytes(5), rs.getBytes(6));
                    try {
                        out.add(new Deposit(
                                index, rs.getLong(2), rs.getLong(3), sealer.open(depositId(pool, index), sealed)));
                    } catch (RuntimeException e) {
                        out.forEach(d -> java.util.Arrays.fill(d.key(), (byte) 0));
                        throw e;
                    }
                }
            }
        }
        return out;
    }

    /** Per direction (A→B first), where {@code pool}'s held words start, or {@code Long.MAX_VALUE}. */
    long[] heldFrom(String pool) throws SQLException {
        long[] held = {Long.MAX_VALUE, Long.MAX_VALUE};
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT ab, from_word FROM auth_key_held WHERE pool = ?")) {
            ps.setString(1, pool);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held[rs.getInt(1) == 1 ? 0 : 1] = rs.getLong(2);
                }
            }
        }
        return held;
    }

    /** Holds {@code pool}'s words of each direction from {@code heldFrom[d]} on ({@code Long.MAX_VALUE}: as is). */
    void hold(String pool, long[] heldFrom) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO auth_key_held (pool, ab, from_word)"
                + " VALUES (?, ?, ?) ON CONFLICT (pool, ab) DO UPDATE SET from_word = min(from_word,"
                + " excluded.from_word)")) {
            for (int d = 0; d < 2; d++) {
                if (heldFrom[d] != Long.MAX_VALUE) {
                    ps.setString(1, pool);
                    ps.setInt(2, d == 0 ? 1 : 0);
                    ps.setLong(3, heldFrom[d]);
                    ps.executeUpdate();
                }
            }
        }
    }

    /** Holds nothing of {@code pool} from {@code fromWord} on: released if held there or later. */
    void release(String pool, long fromWord) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("DELETE FROM auth_key_held WHERE pool = ? AND from_word >= ?")) {
            ps.setString(1, pool);
            ps.setLong(2, fromWord);
            ps.executeUpdate();
        }
    }

    /** The ID a deposit is sealed under (associated data): no other row's ciphertext opens in its place. */
    private static UUID depositId(String pool, long index) {
        return KeyIds.derive("auth-key:" + pool, index, 0);
    }
}
