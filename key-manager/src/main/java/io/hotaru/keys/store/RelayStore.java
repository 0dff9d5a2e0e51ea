package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The key store's relay seam: a relay step (take pad units of a link, store an end-to-end key, burn
 * units, and the journal rows recording it) runs as one operation of the store's writer, so it is
 * all-or-nothing, durable when it returns, and shares its commit and fsync with every operation
 * queued meanwhile (group commit, {@link StoreWriter}). The journal rows live in the store file
 * (table {@code relay_journal}, created if missing), so a row and the change it records can never
 * be durable one without the other.
 *
 * <pre>
 * relay_journal (seq INTEGER PRIMARY KEY, line TEXT NOT NULL)   one line per relay event, no key material
 * </pre>
 */
public final class RelayStore {
    /** The work of one step, run on the writer thread; never blocks on anything but the store. */
    @FunctionalInterface
    public interface Step<T> {
        T run(Tx tx) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(RelayStore.class);
    /** Journal lines one INSERT statement writes at most. */
    static final int JOURNAL_ROWS_PER_INSERT = 16;
    /** The INSERT of {@code n} journal lines, by {@code n}. */
    private static final String[] JOURNAL_INSERTS = new String[JOURNAL_ROWS_PER_INSERT + 1];

    static {
        for (int n = 1; n <= JOURNAL_ROWS_PER_INSERT; n++) {
            JOURNAL_INSERTS[n] = "INSERT INTO relay_journal (line) VALUES "
                    + String.join(",", java.util.Collections.nCopies(n, "(?)"));
        }
    }

    private final KeyStore store;
    private final KeyTable table;
    private final Connection connection;
    /** Per link, at least the units it holds (available or reserved); writer thread only. */
    private final Map<String, Long> heldBound = new HashMap<>();

    public RelayStore(KeyStore store) {
        this.store = store;
        this.table = store.table();
        this.connection = store.connection();
        store.runOnWriter(() -> {
            try (Statement st = connection.createStatement()) {
                createRelayTables(st);
            }
            return null;
        });
    }

    /** Adds the journal table to a store (the index of units by half is the schema's own). */
    static void createRelayTables(Statement st) throws SQLException {
        st.executeUpdate("CREATE TABLE IF NOT EXISTS relay_journal (seq INTEGER PRIMARY KEY, line TEXT NOT NULL)");
    }

    public KeyStore keyStore() {
        return store;
    }

    /**
     * Runs {@code step} as one store operation and returns once its commit is durable; if the step
     * throws, nothing of it is stored. A result whose commit fails is closed (pads zeroed).
     */
    public <T extends AutoCloseable> T step(Step<T> step) {
        return store.writer().run(() -> step.run(new Tx()), RelayStore::closeQuietly);
    }

    /**
     * Queues {@code step} as one store operation and returns at once: the future completes once its
     * commit is durable, or fails with the step's exception (nothing of it stored); a result whose
     * commit fails is closed. Wait for it with {@link #await}.
     */
    public <T extends AutoCloseable> CompletableFuture<T> stepAsync(Step<T> step) {
        return store.writer().runAsync(() -> step.run(new Tx()), RelayStore::closeQuietly);
    }

    /** Waits for a step queued by {@link #stepAsync}, throwing its own exception if it failed. */
    public <T> T await(CompletableFuture<T> step) {
        return store.writer().await(step);
    }

    /**
     * Queues {@code step} without waiting: it commits after every operation queued before it and
     * before every operation queued after it.
     */
    public void stepLater(Step<?> step) {
        store.writer().submit(() -> step.run(new Tx()));
    }

    /**
     * A number at least as high as every block of the link in this store whose last bit is {@code
     * side} (a relayed key's side of its end-to-end link, {@link KeyIds#relayedBlock}), -1 if it has
     * none: the link's mark of that side ({@link StoreSchema#RELAYED_BLOCK_MARK}), which a store step
     * raises, in its own transaction, to {@value #MARK_AHEAD_MILLIS} ms past a key it stores above it.
     */
    public long lastBlock(String linkId, int side) {
        return store.runOnWriter(() -> mark(linkId, side));
    }

    private long mark(String linkId, int side) throws SQLException {
        PreparedStatement read =
                table.ps("SELECT mark FROM " + StoreSchema.RELAYED_BLOCK_MARK + " WHERE link_id = ? AND side = ?");
        read.setString(1, linkId);
        read.setInt(2, side);
        try (ResultSet rs = read.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1L;
        }
    }

    /**
     * How far past a stored relayed key's millisecond its link's mark is raised: the mark is written
     * at most once a second per link and side, not with every key, and a source that restarts within
     * the second numbers its next keys from up to a second ahead of its clock.
     */
    static final long MARK_AHEAD_MILLIS = 1_000;

    /** Every journal line, oldest first. */
    public List<String> journalLines() {
        List<String> lines = new ArrayList<>();
        forEachJournalLine(lines::add);
        return lines;
    }

    /**
     * Hands every journal line to {@code line}, oldest first, one row at a time (on the writer
     * thread, which waits meanwhile): a journal of millions of rows is never all in memory.
     */
    public void forEachJournalLine(java.util.function.Consumer<String> line) {
        store.runOnWriter(() -> {
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT line FROM relay_journal ORDER BY seq")) {
                while (rs.next()) {
                    line.accept(rs.getString(1));
                }
                return null;
            }
        });
    }

    /** The sequence number of the newest journal row, 0 if there is none. */
    public long lastJournalSeq() {
        return store.runOnWriter(() -> {
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM relay_journal")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** What one {@link #deleteJournalRows} pass did: the last row it looked at, how many rows it deleted. */
    public record JournalSweep(long lastSeq, int looked, int deleted) {}

    /**
     * Deletes, in one store operation, the journal rows after {@code afterSeq} and up to {@code upToSeq}
     * that {@code deletable} accepts, looking at {@code limit} rows at most (so that a long sweep
     * holds the writer for short spells only). Rows are deleted in runs: one statement per run of
     * consecutive deletable rows.
     */
    public JournalSweep deleteJournalRows(long afterSeq, long upToSeq, int limit, Predicate<String> deletable) {
        return store.runOnWriter(() -> {
            PreparedStatement select =
                    table.ps("SELECT seq, line FROM relay_journal WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
            select.setLong(1, afterSeq);
            select.setLong(2, upToSeq);
            select.setInt(3, limit);
            List<long[]> runs = new ArrayList<>();
            long last = afterSeq;
            int looked = 0;
            int deleted = 0;
            try (ResultSet rs = select.executeQuery()) {
                long[] run = null;
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    looked++;
                    last = seq;
                    if (deletable.test(rs.getString(2))) {
                        deleted++;
                        if (run == null) {
                            run = new long[] {seq, seq};
                            runs.add(run);
                        } else {
                            run[1] = seq;
                        }
                    } else {
                        run = null;
                    }
                }
            }
            PreparedStatement delete = table.ps("DELETE FROM relay_journal WHERE seq >= ? AND seq <= ?");
            for (long[] run : runs) {
                delete.setLong(1, run[0]);
                delete.setLong(2, run[1]);
                delete.executeUpdate();
            }
            return new JournalSweep(last, looked, deleted);
        });
    }

    /**
     * Reads the journal lines of a store file read-only, while its owner runs or after it died (for a
     * history checker); empty if the file has no journal yet.
     */
    public static List<String> readJournal(Path dbFile) {
        if (!Files.exists(dbFile)) {
            return List.of();
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
                Statement st = c.createStatement()) {
            try (ResultSet t =
                    st.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'relay_journal'")) {
                if (!t.next()) {
                    return List.of();
                }
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT line FROM relay_journal ORDER BY seq")) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return lines;
        } catch (SQLException e) {
            throw new KeyManagerException(
                    KeyManagerException.Code.STORAGE,
                    "cannot read the relay journal of key store " + dbFile + ": " + e.getMessage(),
                    e);
        }
    }

    private static void closeQuietly(AutoCloseable result) {
        if (result == null) {
            return;
        }
        try {
            result.close();
        } catch (Exception ignored) {
            // zeroing memory does not fail
        }
    }

    /** What a step may do, inside the transaction of its operation. */
    /** Erases units a step took, in its transaction. */
    @FunctionalInterface
    private interface Erase {
        void run() throws SQLException;
    }

    public final class Tx {
        private Tx() {}

        /** Appends a journal line (IDs only, never key material). */
        public void journal(String line) throws SQLException {
            PreparedStatement st = table.ps("INSERT INTO relay_journal (line) VALUES (?)");
            st.setString(1, line);
            st.executeUpdate();
        }

        /**
         * Appends journal lines in order, several to a statement (a relay step writes four to six):
         * one call into SQLite per {@value #JOURNAL_ROWS_PER_INSERT} lines instead of one per line.
         */
        public void journal(List<String> lines) throws SQLException {
            for (int from = 0; from < lines.size(); from += JOURNAL_ROWS_PER_INSERT) {
                int n = Math.min(JOURNAL_ROWS_PER_INSERT, lines.size() - from);
                if (n == 1) {
                    journal(lines.get(from));
                    continue;
                }
                PreparedStatement st = table.ps(JOURNAL_INSERTS[n]);
                for (int i = 0; i < n; i++) {
                    st.setString(i + 1, lines.get(from + i));
                }
                st.executeUpdate();
            }
        }

        /**
         * Stores the key of relay {@code relayId} under {@code linkId}, block {@code blockId}, as
         * {@link KeyStore#ingest} does a block (IDs {@link KeyIds#deriveRelayed}), unless the link is
         * full (0). For a key this store does not have: one the source just numbered above its link's
         * mark ({@link #lastBlock}), or one whose first unit the destination found unknown ({@link
         * #knows}). Should its units exist after all, their IDs' unique index refuses the second copy,
         * and the step fails with nothing of it kept. A relayed key has no row in {@code block} (store
         * schema 8): the link's mark of the block's side is raised instead, when the block is above it.
         *
         * <p>The units a link holds are counted once, then kept as an upper bound (only relays add to
         * an end-to-end link; deliveries and erasures only lower the count), and counted again only
         * when the bound says the link is full: a relay's commit does not scan every key the link holds.
         */
        public int ingest(String linkId, long blockId, long relayId, byte[] keyMaterial) throws SQLException {
            if (mayHaveForgotten(linkId, blockId)) { // it may have been here and been spent: never store it again
                throw new KeyManagerException(
                        Code.KEY_NOT_AVAILABLE,
                        "relayed key " + blockId + " of link " + linkId
                                + " is at or below a block whose spent rows this store deleted; not stored");
            }
            int count = keyMaterial.length / KeyStore.KEY_BYTES;
            long capacity = store.capacity(linkId);
            Long bound = heldBound.get(linkId);
            if (bound == null || bound + count > capacity) {
                long[] held = table.held(linkId);
                bound = held[0] + held[1];
            }
            if (bound + count > capacity) {
                heldBound.put(linkId, bound);
                log.warn(
                        "Link {} is full ({} of {} units held): relayed key {} of {} units not stored",
                        linkId,
                        bound,
                        capacity,
                        blockId,
                        count);
                return 0;
            }
            raiseMark(linkId, blockId);
            table.insertUnits(
                    linkId, blockId, keyMaterial, count, i -> KeyIds.deriveRelayed(linkId, blockId, relayId, i));
            heldBound.put(linkId, bound + count); // kept if the step rolls back: still an upper bound
            return count;
        }

        /**
         * Raises the link's mark of the block's side to {@value #MARK_AHEAD_MILLIS} ms past the
         * block's millisecond, if the block is above it (or to the block itself, past the last
         * millisecond a number can hold).
         */
        private void raiseMark(String linkId, long blockId) throws SQLException {
            int side = (int) (blockId & 1);
            if (blockId <= mark(linkId, side)) {
                return;
            }
            long ahead = MARK_AHEAD_MILLIS << KeyIds.RELAYED_BLOCK_SUB_MS_BITS;
            PreparedStatement raise = table.ps("INSERT OR REPLACE INTO " + StoreSchema.RELAYED_BLOCK_MARK
                    + " (link_id, side, mark) VALUES (?, ?, ?)");
            raise.setString(1, linkId);
            raise.setInt(2, side);
            raise.setLong(3, blockId <= Long.MAX_VALUE - ahead ? blockId + ahead : blockId);
            raise.executeUpdate();
        }

        /**
         * Whether this store has the unit, or had it and has not deleted its row since it was spent
         * ({@link #mayHaveForgotten}).
         */
        public boolean knows(UUID keyId) throws SQLException {
            return table.stateOf(keyId).isPresent();
        }

        /**
         * Whether this store may have had the relayed key of block {@code blockId} of the link and
         * deleted its rows since ({@link KeyStore#mayHaveForgottenRelayed}), so that {@link #knows}
         * cannot tell; such a key is never stored again ({@link #ingest}).
         */
        public boolean mayHaveForgotten(String linkId, long blockId) {
            return store.mayHaveForgottenRelayed(linkId, blockId);
        }

        /**
         * Takes the named units of the link as a pad (AVAILABLE to ERASED, in the given order, opened
         * when first read: {@link #take(List, Erase)}); empty, with nothing changed, unless every one is available.
         */
        public Optional<PadUnits> takeNamed(String linkId, List<UUID> unitIds) throws SQLException {
            List<KeyTable.Unit> units = new ArrayList<>(unitIds.size());
            for (int i = 0; i < unitIds.size(); i++) {
                Optional<KeyTable.Unit> unit = table.availableUnit(unitIds.get(i), linkId);
                if (unit.isEmpty() || unitIds.indexOf(unitIds.get(i)) != i) {
                    return Optional.empty();
                }
                units.add(unit.get());
            }
            return Optional.of(take(units));
        }

        /**
         * Takes the link's {@code units} oldest available units of {@code half} (the half this end
         * sends with, ADR 0009) as a pad; empty, with nothing changed, if it has fewer.
         */
        public Optional<PadUnits> takeOldest(String linkId, int units, UnitHalf half) throws SQLException {
            List<KeyTable.Unit> picked = table.oldestOfHalf(linkId, units, half);
            return picked.size() < units ? Optional.empty() : Optional.of(take(picked));
        }

        /**
         * Takes up to {@code units} oldest available units of the link's {@code half} as a pad, but
         * no more than half of what the half holds unless {@code needed} calls for more: the newest
         * units, which the link's other end may not have stored yet, stay until they are needed.
         * Fewer if the half has fewer; empty, with nothing changed, if it has none.
         */
        public Optional<PadUnits> takeUpTo(String linkId, int units, int needed, UnitHalf half) throws SQLException {
            long held = table.countOfHalf(linkId, half, 2L * units);
            long take = Math.max(Math.min(units, held / 2), Math.min(needed, held));
            List<KeyTable.Unit> picked = take == 0 ? List.of() : table.oldestOfHalf(linkId, take, half);
            return picked.isEmpty() ? Optional.empty() : Optional.of(takeOldest(linkId, half, picked));
        }

        /**
         * Takes the named units of the link's {@code half} as {@link #takeNamed} does; when they are
         * the half's oldest, in order (the two ends of a link store its units in the same order, so a
         * block leased by the peer usually is), with one range read and one statement erasing them.
         */
        public Optional<PadUnits> takeNamedOfHalf(String linkId, List<UUID> unitIds, UnitHalf half)
                throws SQLException {
            List<KeyTable.Unit> oldest = table.oldestOfHalf(linkId, unitIds.size(), half);
            boolean same = oldest.size() == unitIds.size();
            for (int i = 0; same && i < oldest.size(); i++) {
                same = oldest.get(i).keyId().equals(unitIds.get(i));
            }
            return same ? Optional.of(takeOldest(linkId, half, oldest)) : takeNamed(linkId, unitIds);
        }

        /** Erases the oldest available units of the half, as picked, in one statement, and returns them as a pad. */
        private PadUnits takeOldest(String linkId, UnitHalf half, List<KeyTable.Unit> picked) throws SQLException {
            return take(picked, () -> {
                int erased = table.eraseOldestOfHalf(
                        linkId, half, picked.get(picked.size() - 1).seq());
                if (erased != picked.size()) {
                    throw new IllegalStateException(
                            "erased " + erased + " of the " + picked.size() + " oldest units of " + linkId);
                }
            });
        }

        /**
         * Erases the units, read with their sealed material, one statement per unit (available units
         * have no pickups to delete), and returns them as a pad.
         */
        private PadUnits take(List<KeyTable.Unit> units) throws SQLException {
            return take(units, () -> {
                for (KeyTable.Unit u : units) {
                    table.eraseAvailable(u.seq());
                }
            });
        }

        /**
         * Runs {@code erase}, then returns the units as a pad still sealed: the thread that first
         * reads its material opens them ({@link PadUnits}), so the writer thread spends no
         * decryption on a block of units.
         */
        private PadUnits take(List<KeyTable.Unit> units, Erase erase) throws SQLException {
            erase.run();
            return table.sealedPad(units);
        }

        /**
         * Whether a take of the named units could succeed once their block arrives: some are a
         * distilled link's units with no row here yet, and every other one is still held.
         */
        public boolean awaitsUnits(String linkId, List<UUID> unitIds) throws SQLException {
            boolean missing = false;
            for (UUID id : unitIds) {
                if (table.unexpendedSeq(id, linkId).isPresent()) {
                    continue;
                }
                if (id.version() != 8 || table.hasRow(id)) {
                    return false; // spent here, or not a distilled link's unit
                }
                missing = true;
            }
            return missing;
        }

        /** Burns the named units of the link this store still holds, as {@link KeyStore#burn} does. */
        public int burn(String linkId, List<UUID> unitIds) throws SQLException {
            return table.burn(linkId, unitIds);
        }
    }
}
