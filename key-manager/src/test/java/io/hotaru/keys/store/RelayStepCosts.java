package io.hotaru.keys.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A measurement, not a test (run by hand, never by Maven): the CPU time per relay of each SQL
 * statement, and of sealing and opening, of the store steps of a one-unit (256-bit) relay over two
 * hops: source S, intermediate M, destination D, as {@link RelayStore.Tx} runs them. One thread
 * drives {@link KeyTable} directly on three fresh files (no writer thread, synchronous=OFF so no
 * fsync), relays in batches of {@code batch}: one transaction per node per batch, the journal lines
 * of a batch written together, as {@code RelayLedger} does.
 *
 * <p>After {@code mvn -o -B -pl bench -am package -DskipTests} (whose jar carries the dependencies):
 *
 * <pre>java -cp key-manager/target/test-classes:key-manager/target/classes:bench/target/benchmarks.jar \
 *     io.hotaru.keys.store.RelayStepCosts [relays=20000] [batch=16] [units=100000]</pre>
 */
final class RelayStepCosts {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String SM = "sm";
    private static final String MD = "md";
    private static final String SD = "sd";

    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final Node s;
    private final Node m;
    private final Node d;
    private long mark;
    private long nextRelay;

    /** One node's store file, table and sealer. */
    private record Node(String name, Connection connection, KeyTable table, KeySealer sealer) {}

    private RelayStepCosts(Node s, Node m, Node d, long firstRelay) {
        this.s = s;
        this.m = m;
        this.d = d;
        this.nextRelay = firstRelay;
    }

    public static void main(String[] args) throws Exception {
        MeasurementOptions options = MeasurementOptions.parse(
                args, MeasurementOptions.defaults("relays", "20000", "batch", "16", "units", "100000"));
        int relays = options.integer("relays");
        int batch = options.integer("batch");
        int units = options.integer("units");
        if (units < 4L * relays + 2 * batch) {
            System.err.println("option units=" + units + " is too small: use units >= 4 x relays");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("hotaru-relay-steps");
        List<Node> nodes = new ArrayList<>();
        try {
            for (String name : List.of("s", "m", "d")) {
                Connection c = StoreSchema.open(dir.resolve(name + ".db"));
                KeySealer sealer = new KeySealer(MasterKey.of(new byte[MasterKey.LENGTH]));
                nodes.add(new Node(name, c, new KeyTable(c, sealer, Clock.systemUTC()), sealer));
                prepare(c);
            }
            Node s = nodes.get(0);
            Node m = nodes.get(1);
            Node d = nodes.get(2);
            fill(s, m, SM, units);
            fill(m, d, MD, units);
            new RelayStepCosts(s, m, d, 1_000_000).run(relays, batch); // warm-up
            new RelayStepCosts(s, m, d, 2_000_000).run(relays, batch).print(relays);
            new RelayStepCosts(s, m, d, 3_000_000).sealing(relays).print(relays);
        } finally {
            for (Node n : nodes) {
                n.sealer().wipe();
                StoreSchema.closeQuietly(n.connection());
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What {@link RelayStore}'s constructor adds, and no fsync at all. */
    /** The IDs of relay {@code r}'s key, by unit. */
    private static java.util.function.IntFunction<UUID> keyIds(long r) {
        return u -> KeyIds.deriveRelayed(SD, keyBlock(r), r, u);
    }

    /** The block of relay {@code r}'s key, numbered as a source does: 16 relays to a millisecond. */
    private static long keyBlock(long r) {
        return KeyIds.relayedBlock(1_795_000_000_000L + r / 16, (int) (r % 16), 0);
    }

    private static void prepare(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            RelayStore.createRelayTables(st);
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA synchronous = OFF");
        }
        c.setAutoCommit(false);
    }

    private static void fill(Node a, Node b, String link, int units) throws SQLException {
        byte[] block = new byte[10_000 * KeyStore.KEY_BYTES];
        Random random = new Random(link.hashCode());
        for (int blockId = 0; blockId * 10_000 < units; blockId++) {
            random.nextBytes(block);
            int n = blockId;
            a.table().insertBlock(link, n, block, 10_000, i -> KeyIds.derive(link, n, i));
            b.table().insertBlock(link, n, block, 10_000, i -> KeyIds.derive(link, n, i));
            a.connection().commit();
            b.connection().commit();
        }
        Arrays.fill(block, (byte) 0);
    }

    private RelayStepCosts run(int relays, int batch) throws SQLException {
        byte[] key = new byte[KeyStore.KEY_BYTES];
        Random random = new Random(7);
        for (int done = 0; done < relays; done += batch) {
            int n = Math.min(batch, relays - done);
            long first = nextRelay;
            nextRelay += n;
            List<UUID> smUnits = new ArrayList<>();
            List<UUID> mdUnits = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            start();
            for (long r = first; r < first + n; r++) { // the source: store K, take an outbound pad
                random.nextBytes(key);
                s.table().insertUnits(SD, keyBlock(r), key, 1, keyIds(r));
                stop("S insertUnits (seals K)");
                smUnits.add(takeOldest(s, SM, 0, "S"));
                lines.add(line("BEGIN", r, "-", List.of(), "256/s,m,d"));
                lines.add(line("KEY", r, SD, List.of(KeyIds.deriveRelayed(SD, keyBlock(r), r, 0)), "-"));
                lines.add(line("INTENT", r, SM, smUnits.subList(smUnits.size() - 1, smUnits.size()), "OUT/0/0/s,m,d"));
                lines.add(line("PAD", r, SM, smUnits.subList(smUnits.size() - 1, smUnits.size()), "OUT"));
                stop("S journal lines built");
            }
            journal(s, lines, "S");
            commit(s, "S");
            for (int i = 0; i < n; i++) { // the intermediate: take the inbound pad, then an outbound one
                long r = first + i;
                List<UUID> in = smUnits.subList(i, i + 1);
                takeNamed(m, SM, in, "M");
                mdUnits.add(takeOldest(m, MD, 0, "M"));
                List<UUID> out = mdUnits.subList(i, i + 1);
                lines.add(line("INTENT", r, SM, in, "IN"));
                lines.add(line("PAD", r, SM, in, "IN"));
                lines.add(line("INTENT", r, MD, out, "OUT/1/0/s,m,d"));
                lines.add(line("PAD", r, MD, out, "OUT"));
                stop("M journal lines built");
            }
            journal(m, lines, "M");
            commit(m, "M");
            for (int i = 0; i < n; i++) { // the destination: take the inbound pad, store K
                long r = first + i;
                d.table().stateOf(KeyIds.deriveRelayed(SD, keyBlock(r), r, 0));
                stop("D stateOf (knows)");
                List<UUID> in = mdUnits.subList(i, i + 1);
                takeNamed(d, MD, in, "D");
                random.nextBytes(key);
                d.table().insertUnits(SD, keyBlock(r), key, 1, keyIds(r));
                stop("D insertUnits (seals K)");
                lines.add(line("INTENT", r, MD, in, "IN"));
                lines.add(line("PAD", r, MD, in, "IN"));
                lines.add(line("KEY", r, SD, List.of(KeyIds.deriveRelayed(SD, keyBlock(r), r, 0)), "-"));
                lines.add(line("COMMIT", r, "-", List.of(), "-"));
                stop("D journal lines built");
            }
            journal(d, lines, "D");
            commit(d, "D");
        }
        Arrays.fill(key, (byte) 0);
        return this;
    }

    /** As {@code Tx.takeOldest} of one unit: the pick with its material, then opened and erased. */
    private UUID takeOldest(Node node, String link, int lastBit, String who) throws SQLException {
        PreparedStatement st = node.table()
                .ps("SELECT seq, key_id, nonce, ciphertext, digest FROM stored_key"
                        + " WHERE link_id = +? AND state = 'AVAILABLE' AND " + StoreSchema.PARITY_ODD + " = +? AND "
                        + StoreSchema.HELD + " ORDER BY seq LIMIT ? + 0");
        st.setString(1, link);
        st.setInt(2, lastBit);
        st.setInt(3, 1);
        KeyTable.Unit unit;
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            unit = new KeyTable.Unit(
                    rs.getLong(1),
                    UUID.fromString(rs.getString(2)),
                    new KeySealer.Sealed(rs.getBytes(3), rs.getBytes(4), rs.getBytes(5)));
        }
        stop(who + " takeOldest: pick (with material)");
        openAndErase(node, unit, who + " takeOldest");
        return unit.keyId();
    }

    /** As {@code Tx.takeNamed}: each unit looked up with its material, then opened and erased. */
    private void takeNamed(Node node, String link, List<UUID> ids, String who) throws SQLException {
        List<KeyTable.Unit> units = new ArrayList<>();
        for (UUID id : ids) {
            units.add(node.table().availableUnit(id, link).orElseThrow());
        }
        stop(who + " takeNamed: availableUnit (with material)");
        for (KeyTable.Unit unit : units) {
            openAndErase(node, unit, who + " takeNamed");
        }
    }

    private void openAndErase(Node node, KeyTable.Unit unit, String what) throws SQLException {
        Arrays.fill(node.table().openSealed(unit), (byte) 0);
        stop(what + ": openSealed");
        node.table().eraseAvailable(unit.seq());
        stop(what + ": eraseAvailable");
    }

    private void journal(Node node, List<String> lines, String who) throws SQLException {
        for (int from = 0; from < lines.size(); from += RelayStore.JOURNAL_ROWS_PER_INSERT) {
            int n = Math.min(RelayStore.JOURNAL_ROWS_PER_INSERT, lines.size() - from);
            StringBuilder sql = new StringBuilder("INSERT INTO relay_journal (line) VALUES (?)");
            for (int i = 1; i < n; i++) {
                sql.append(",(?)");
            }
            PreparedStatement st = node.table().ps(sql.toString());
            for (int i = 0; i < n; i++) {
                st.setString(i + 1, lines.get(from + i));
            }
            st.executeUpdate();
        }
        lines.clear();
        stop(who + " journal INSERTs");
    }

    private void commit(Node node, String who) throws SQLException {
        node.connection().commit();
        stop(who + " commit (no fsync)");
    }

    /** The sealer alone: one seal and one open of a unit, per relay and node end. */
    private RelayStepCosts sealing(int relays) {
        byte[] unit = new byte[KeyStore.KEY_BYTES];
        start();
        for (int i = 0; i < relays; i++) {
            UUID id = KeyIds.derive(SD, i, 0);
            KeySealer.Sealed sealed = s.sealer().seal(id, unit);
            stop("sealer.seal alone (1 unit)");
            Arrays.fill(s.sealer().open(id, sealed), (byte) 0);
            stop("sealer.open alone (1 unit)");
        }
        return this;
    }

    private static String line(String kind, long relay, String link, List<UUID> units, String detail) {
        StringBuilder b = new StringBuilder(kind)
                .append(' ')
                .append(relay)
                .append(' ')
                .append(link)
                .append(' ');
        if (units.isEmpty()) {
            b.append('-');
        }
        for (int i = 0; i < units.size(); i++) {
            b.append(i == 0 ? "" : ",").append(units.get(i));
        }
        return b.append(' ').append(detail).toString();
    }

    private void start() {
        mark = THREADS.getCurrentThreadCpuTime();
    }

    private void stop(String what) {
        long now = THREADS.getCurrentThreadCpuTime();
        nanos.merge(what, now - mark, Long::sum);
        mark = THREADS.getCurrentThreadCpuTime();
    }

    private void print(int relays) {
        long total = 0;
        for (Map.Entry<String, Long> e : nanos.entrySet()) {
            System.out.printf("%-48s %6.1f us CPU per relay%n", e.getKey(), e.getValue() / 1e3 / relays);
            total += e.getValue();
        }
        System.out.printf("%-48s %6.1f us CPU per relay%n%n", "total", total / 1e3 / relays);
    }
}
