package io.hotaru.keys.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayStoreTest {
    private static final String LINK = "A-B";
    private static final AutoCloseable NOTHING = () -> {};

    @TempDir
    Path dir;

    private KeyStore open() {
        return KeyStore.open(dir.resolve("kme.db"), MasterKey.of(MasterKeyTest.filled((byte) 7)));
    }

    private static byte[] material(int units) {
        byte[] m = new byte[units * KeyStore.KEY_BYTES];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) (i * 31 + 7);
        }
        return m;
    }

    @Test
    void takesTheOldestUnitsOfOneHalfOnlyAndNeverTwice() {
        try (KeyStore store = open()) {
            store.ingest(LINK, 1, material(64));
            RelayStore relay = new RelayStore(store);
            Set<UUID> seen = new HashSet<>();
            for (UnitHalf half : List.of(UnitHalf.EVEN, UnitHalf.ODD)) {
                int bit = half == UnitHalf.EVEN ? 0 : 1;
                while (true) {
                    Optional<PadUnits> pad = relay.step(tx -> new Held(tx.takeOldest(LINK, 3, half))).pad;
                    if (pad.isEmpty()) {
                        break;
                    }
                    for (UUID id : pad.get().unitIds()) {
                        assertEquals(bit, id.getLeastSignificantBits() & 1, "unit " + id + " of the other half");
                        assertTrue(seen.add(id), "unit " + id + " taken twice");
                        assertEquals(Optional.of(KeyState.ERASED), store.stateOf(id));
                    }
                    pad.get().close();
                }
            }
            assertTrue(store.availableCount(LINK) <= 4, "at most 2 units of each half left over");
            assertEquals(64, seen.size() + store.availableCount(LINK));
        }
    }

    @Test
    void theOldestOfAHalfIsPickedByAStatementPreparedOnceThatSearchesTheHalfsIndex() throws Exception {
        Path file = dir.resolve("kme.db");
        List<String> sql;
        try (KeyStore store = open()) {
            store.ingest(LINK, 1, material(8));
            RelayStore relay = new RelayStore(store);
            relay.step(tx -> new Held(tx.takeOldest(LINK, 1, UnitHalf.EVEN))).close();
            sql = store.runOnWriter(() -> store.table().preparedSql());
        }
        String takeOldest = sql.stream()
                .filter(s -> s.contains("ORDER BY seq LIMIT") && s.contains("substr(key_id"))
                .findFirst()
                .orElseThrow();
        assertFalse(
                KeyTableStatementsTest.VISIBLE_PARAMETER
                        .matcher(takeOldest.substring(takeOldest.indexOf(" WHERE ")))
                        .find(),
                "a bare parameter the planner may look at in: " + takeOldest);
        List<String> plan = KeyTableStatementsTest.plan(file, takeOldest);
        assertTrue(
                plan.stream().anyMatch(step -> step.contains("USING INDEX " + StoreSchema.HELD_INDEX)), "plan " + plan);
        assertTrue(plan.stream().noneMatch(step -> step.contains("TEMP B-TREE")), "plan " + plan);
    }

    @Test
    void aStoreFileWithTheIndexesOfEveryUnitIsMigratedToTheOneIndexOfHeldUnits() throws Exception {
        Path file = dir.resolve("kme.db");
        List<UUID> taken = new ArrayList<>();
        try (KeyStore store = open()) {
            store.ingest(LINK, 1, material(16));
            RelayStore relay = new RelayStore(store);
            taken.addAll(relay.step(tx -> new Held(tx.takeOldest(LINK, 2, UnitHalf.EVEN)))
                    .pad
                    .orElseThrow()
                    .unitIds());
            store.runOnWriter(
                    () -> { // the version-4 store file as the relay left it before the partial index
                        try (java.sql.Statement st = store.connection().createStatement()) {
                            st.executeUpdate("DROP INDEX " + StoreSchema.HELD_INDEX);
                            st.executeUpdate(
                                    "CREATE INDEX " + StoreSchema.OLD_HALF_INDEX + " ON stored_key (link_id, state,"
                                            + " (instr('13579bdf', substr(key_id, 36, 1)) > 0), seq)");
                            st.executeUpdate("CREATE INDEX " + StoreSchema.OLD_LINK_STATE_INDEX
                                    + " ON stored_key (link_id, state, seq)");
                            StoreSchemaTest.toVersion8(st);
                            st.executeUpdate("PRAGMA user_version = 4");
                        }
                        return null;
                    });
        }
        assertEquals(List.of(StoreSchema.OLD_LINK_STATE_INDEX, StoreSchema.OLD_HALF_INDEX), linkIndexes(file));
        try (KeyStore store = open()) {
            assertEquals(List.of(StoreSchema.HELD_INDEX), linkIndexes(file));
            RelayStore relay = new RelayStore(store);
            Set<UUID> even = new HashSet<>(taken);
            while (true) {
                Optional<PadUnits> pad = relay.step(tx -> new Held(tx.takeOldest(LINK, 1, UnitHalf.EVEN))).pad;
                if (pad.isEmpty()) {
                    break;
                }
                assertTrue(even.add(pad.get().unitIds().get(0)), "unit taken twice");
                pad.get().close();
            }
            for (UUID id : even) {
                assertEquals(Optional.of(KeyState.ERASED), store.stateOf(id));
            }
            assertEquals(16, even.size() + store.availableCount(LINK), "every unit of the even half taken once");
        }
    }

    /** The indexes of the key table that lead with its link. */
    private static List<String> linkIndexes(Path file) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'"
                        + " AND tbl_name = 'stored_key' AND sql LIKE '%(link_id,%' ORDER BY name")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    @Test
    void takesNamedUnitsAllOrNothingWithTheirMaterial() {
        try (KeyStore store = open()) {
            byte[] m = material(4);
            store.ingest(LINK, 1, m);
            RelayStore relay = new RelayStore(store);
            UUID u0 = KeyIds.derive(LINK, 1, 0);
            UUID u2 = KeyIds.derive(LINK, 1, 2);
            try (Held held = relay.step(tx -> new Held(tx.takeNamed(LINK, List.of(u2, u0))))) {
                byte[] expected = new byte[2 * KeyStore.KEY_BYTES];
                System.arraycopy(m, 2 * KeyStore.KEY_BYTES, expected, 0, KeyStore.KEY_BYTES);
                System.arraycopy(m, 0, expected, KeyStore.KEY_BYTES, KeyStore.KEY_BYTES);
                assertArrayEquals(expected, held.pad.orElseThrow().material());
            }
            UUID u1 = KeyIds.derive(LINK, 1, 1);
            Held again = relay.step(tx -> new Held(tx.takeNamed(LINK, List.of(u1, u0))));
            assertTrue(again.pad.isEmpty(), "u0 is spent: nothing taken");
            assertEquals(Optional.of(KeyState.AVAILABLE), store.stateOf(u1));
            Held twice = relay.step(tx -> new Held(tx.takeNamed(LINK, List.of(u1, u1))));
            assertTrue(twice.pad.isEmpty(), "a unit named twice is refused");
            assertEquals(2, store.availableCount(LINK));
        }
    }

    /**
     * A block of units a step takes comes out sealed: the writer thread opens none of them, the
     * thread that first reads the pad does; a unit that fails to open fails every read, and a closed
     * pad too: never a pad of zeros.
     */
    @Test
    void aTakenBlockIsOpenedByTheThreadThatReadsIt() throws Exception {
        byte[] m = material(8);
        try (KeyStore store = open()) {
            store.ingest(LINK, 1, m);
            RelayStore relay = new RelayStore(store);
            long before = store.unitsOpened();
            PadUnits pad = relay.step(tx -> new Held(tx.takeUpTo(LINK, 2, 2, UnitHalf.EVEN)))
                    .pad
                    .orElseThrow();
            assertEquals(before, store.unitsOpened(), "none opened by the writer");
            byte[] expected = new byte[pad.unitIds().size() * KeyStore.KEY_BYTES];
            for (int i = 0; i < pad.unitIds().size(); i++) {
                int index = indexOf(pad.unitIds().get(i));
                System.arraycopy(m, index * KeyStore.KEY_BYTES, expected, i * KeyStore.KEY_BYTES, KeyStore.KEY_BYTES);
            }
            assertArrayEquals(expected, pad.material());
            assertEquals(before + pad.unitIds().size(), store.unitsOpened());
            byte[] read = pad.material();
            pad.close();
            assertArrayEquals(new byte[expected.length], read, "zeroed once closed");
            assertThrows(IllegalStateException.class, pad::material, "never a pad of zeros");
        }
        try (KeyStore wrong = KeyStore.open(dir.resolve("kme.db"), MasterKey.of(MasterKeyTest.filled((byte) 8)))) {
            PadUnits pad = new RelayStore(wrong)
                    .step(tx -> new Held(tx.takeUpTo(LINK, 2, 2, UnitHalf.ODD)))
                    .pad
                    .orElseThrow();
            for (int read = 0; read < 2; read++) {
                KeyManagerException e = assertThrows(KeyManagerException.class, pad::material);
                assertEquals(KeyManagerException.Code.CORRUPT_KEY, e.code());
            }
            pad.close();
        }
    }

    private static int indexOf(UUID unit) {
        for (int i = 0; i < 8; i++) {
            if (KeyIds.derive(LINK, 1, i).equals(unit)) {
                return i;
            }
        }
        throw new AssertionError("unit " + unit + " is not of block 1");
    }

    @Test
    void aFailedStepLeavesNeitherItsJournalLinesNorItsChanges() {
        try (KeyStore store = open()) {
            store.ingest(LINK, 1, material(4));
            RelayStore relay = new RelayStore(store);
            relay.step(tx -> {
                tx.journal("FIRST");
                return NOTHING;
            });
            assertThrows(
                    IllegalStateException.class,
                    () -> relay.step(tx -> {
                        tx.journal("SECOND");
                        tx.takeOldest(LINK, 2, UnitHalf.EVEN).orElseThrow().close();
                        tx.ingest("A~C", 9, 77, material(1));
                        throw new IllegalStateException("the step fails after its changes");
                    }));
            assertEquals(List.of("FIRST"), relay.journalLines());
            assertEquals(4, store.availableCount(LINK));
            assertFalse(relay.step(tx -> new Flag(tx.knows(KeyIds.deriveRelayed("A~C", 9, 77, 0)))).value);
        }
    }

    @Test
    void journalLinesWrittenTogetherKeepTheirOrderAcrossStatements() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2 * RelayStore.JOURNAL_ROWS_PER_INSERT + 3; i++) {
            lines.add("LINE " + i);
        }
        try (KeyStore store = open()) {
            RelayStore relay = new RelayStore(store);
            relay.step(tx -> {
                tx.journal("FIRST");
                tx.journal(lines);
                tx.journal(List.of("ONE"));
                return NOTHING;
            });
            List<String> expected = new ArrayList<>(List.of("FIRST"));
            expected.addAll(lines);
            expected.add("ONE");
            assertEquals(expected, relay.journalLines());
        }
    }

    @Test
    void journalLinesSurviveAReopenAndReadOnlyReadersSeeThem() {
        List<String> written = new ArrayList<>();
        try (KeyStore store = open()) {
            RelayStore relay = new RelayStore(store);
            for (int i = 0; i < 5; i++) {
                String line = "LINE " + i;
                written.add(line);
                relay.stepLater(tx -> {
                    tx.journal(line);
                    return null;
                });
            }
            relay.step(tx -> NOTHING); // after the lazily queued lines
            assertEquals(written, RelayStore.readJournal(dir.resolve("kme.db")));
        }
        try (KeyStore store = open()) {
            assertEquals(written, new RelayStore(store).journalLines());
        }
        assertEquals(List.of(), RelayStore.readJournal(dir.resolve("none.db")));
    }

    /**
     * A relayed key is stored once, as units without a block row; its link's mark of the block's side
     * goes a second past it, and is written again only for a key past the mark.
     */
    @Test
    void aRelayedKeyIsStoredOnceWithoutABlockRowUnderItsLinksMark() {
        try (KeyStore store = open()) {
            RelayStore relay = new RelayStore(store);
            long block = KeyIds.relayedBlock(1_795_000_000_000L, 3, 1);
            long second = 1_000L << KeyIds.RELAYED_BLOCK_SUB_MS_BITS;
            assertEquals(-1, relay.lastBlock("A~C", 1));
            byte[] key = material(2);
            assertEquals(2, relay.step(tx -> new Count(tx.ingest("A~C", block, 77, key))).value);
            assertTrue(relay.step(tx -> new Flag(tx.knows(KeyIds.deriveRelayed("A~C", block, 77, 1)))).value);
            byte[] digestBefore = store.digest(List.of(KeyIds.deriveRelayed("A~C", block, 77, 0)));
            assertFalse(Arrays.equals(new byte[digestBefore.length], digestBefore));
            KeyManagerException again = assertThrows(
                    KeyManagerException.class,
                    () -> relay.step(tx -> {
                        tx.journal("AGAIN");
                        return new Count(tx.ingest("A~C", block, 77, key));
                    }));
            assertTrue(again.getMessage().contains("UNIQUE"), again.getMessage());
            assertEquals(List.of(), relay.journalLines());
            assertEquals(2, store.availableCount("A~C"));

            assertEquals(block + second, relay.lastBlock("A~C", 1));
            assertEquals(-1, relay.lastBlock("A~C", 0), "the other side has no mark");
            assertEquals(2, relay.step(tx -> new Count(tx.ingest("A~C", block + 2, 78, material(2)))).value);
            assertEquals(block + second, relay.lastBlock("A~C", 1), "a key under the mark leaves it");
            assertEquals(2, relay.step(tx -> new Count(tx.ingest("A~C", block + second + 2, 79, material(2)))).value);
            assertEquals(block + 2 * second + 2, relay.lastBlock("A~C", 1));
            assertThrows(
                    IllegalStateException.class,
                    () -> relay.step(tx -> {
                        tx.ingest("A~C", block + 3 * second, 80, material(2));
                        throw new IllegalStateException("the step fails after raising the mark");
                    }));
            assertEquals(block + 2 * second + 2, relay.lastBlock("A~C", 1), "a failed step's mark is not kept");

            assertEquals(-1, store.lastStoredBlock("A~C"), "no block row");
            assertEquals(new BlockWithdrawal.Result(0, 0, 0), store.withdrawBlocksAfter("A~C", 0));
            assertEquals(6, store.availableCount("A~C"));
        }
    }

    @Test
    void aStoredKeyNeverTakesItsLinkOverCapacity() {
        try (KeyStore store = KeyStore.open(
                dir.resolve("kme.db"),
                MasterKey.of(MasterKeyTest.filled((byte) 7)),
                StoreOptions.defaults().withCapacity("A~C", 5))) {
            RelayStore relay = new RelayStore(store);
            assertEquals(2, relay.step(tx -> new Count(tx.ingest("A~C", 1, 77, material(2)))).value);
            assertEquals(2, relay.step(tx -> new Count(tx.ingest("A~C", 2, 77, material(2)))).value);
            assertEquals(0, relay.step(tx -> new Count(tx.ingest("A~C", 3, 77, material(2)))).value, "5 units at most");
            try (PadUnits spent = store.takePad("A~C", List.of(KeyIds.deriveRelayed("A~C", 1, 77, 0)))) {
                assertEquals(1, spent.unitIds().size());
            }
            assertEquals(2, relay.step(tx -> new Count(tx.ingest("A~C", 3, 77, material(2)))).value, "room again");
            assertEquals(5, store.availableCount("A~C"));
        }
    }

    /**
     * A lease takes the oldest units of its half in one statement, never more than half of what the
     * half holds beyond the units needed now (the newest may not be at the link's other end yet),
     * and the peer, naming the same units, takes them as its own oldest.
     */
    @Test
    void aLeaseLeavesTheNewerHalfOfAHalfUnlessItIsNeeded() {
        try (KeyStore store = open()) {
            store.ingest(LINK, 1, material(40));
            RelayStore relay = new RelayStore(store);
            long even = store.runOnWriter(() -> store.table().countOfHalf(LINK, UnitHalf.EVEN, 1000));
            PadUnits half = relay.step(tx -> new Held(tx.takeUpTo(LINK, 256, 1, UnitHalf.EVEN)))
                    .pad
                    .orElseThrow();
            assertEquals(even / 2, half.unitIds().size(), "half of the half's " + even + " units");
            long left = even - even / 2;
            PadUnits needed = relay.step(tx -> new Held(tx.takeUpTo(LINK, 256, (int) left, UnitHalf.EVEN)))
                    .pad
                    .orElseThrow();
            assertEquals(left, needed.unitIds().size(), "all that is left, when a relay needs it");
            assertTrue(relay.step(tx -> new Held(tx.takeUpTo(LINK, 256, 1, UnitHalf.EVEN)))
                    .pad
                    .isEmpty());
            for (UUID id : half.unitIds()) {
                assertEquals(Optional.of(KeyState.ERASED), store.stateOf(id));
            }
            half.close();
            needed.close();

            try (KeyStore peer = KeyStore.open(dir.resolve("peer.db"), MasterKey.of(MasterKeyTest.filled((byte) 9)))) {
                peer.ingest(LINK, 1, material(40));
                RelayStore peerRelay = new RelayStore(peer);
                PadUnits leased = relay.step(tx -> new Held(tx.takeUpTo(LINK, 4, 4, UnitHalf.ODD)))
                        .pad
                        .orElseThrow();
                List<UUID> odd = leased.unitIds();
                PadUnits same = peerRelay
                        .step(tx -> new Held(tx.takeNamedOfHalf(LINK, odd, UnitHalf.ODD)))
                        .pad
                        .orElseThrow();
                assertEquals(odd, same.unitIds());
                assertArrayEquals(leased.material(), same.material(), "the same pad at both ends");
                leased.close();
                for (UUID id : odd) {
                    assertEquals(Optional.of(KeyState.ERASED), peer.stateOf(id));
                }
                List<UUID> notOldest = List.of(odd.get(0));
                assertTrue(
                        peerRelay
                                .step(tx -> new Held(tx.takeNamedOfHalf(LINK, notOldest, UnitHalf.ODD)))
                                .pad
                                .isEmpty(),
                        "a unit already taken is not taken again");
                same.close();
            }
        }
    }

    private record Held(Optional<PadUnits> pad) implements AutoCloseable {
        @Override
        public void close() {
            pad.ifPresent(PadUnits::close);
        }
    }

    private record Flag(boolean value) implements AutoCloseable {
        @Override
        public void close() {}
    }

    private record Count(int value) implements AutoCloseable {
        @Override
        public void close() {}
    }
}
