package io.hotaru.keys.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A measurement, not a test (run by hand, never by Maven): the CPU time of each SQL statement an
 * ETSI 014 {@code enc_keys} + {@code dec_keys} pair costs the two stores, one thread driving {@link
 * KeyTable} directly on two fresh files (no writer thread, no fsync, a commit every ten pairs). It
 * also times {@link KeyTable#oldestAvailable} run a second time at once: the first run pays for what
 * the pair before left at the front of the state index (ADR 0014).
 *
 * <p>After {@code mvn -o -B -pl bench -am package -DskipTests} (whose jar carries the dependencies):
 *
 * <pre>java -cp key-manager/target/test-classes:key-manager/target/classes:bench/target/benchmarks.jar \
 *     io.hotaru.keys.store.PairStatementCosts [pairs=20000] [units=250000]</pre>
 */
final class PairStatementCosts {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String LINK = "ab";
    private static final String[] STEPS = {
        "A oldestAvailable",
        "A setReserved",
        "A addPickup",
        "A openUnits",
        "B availableSeq",
        "B setReserved",
        "B addPickup",
        "A removeMasterPickup (+ delivered)",
        "B openKeyFor",
        "B removePickup (+ delivered)",
        "commits A + B",
        "A oldestAvailable again at once"
    };

    private final long[] nanos = new long[STEPS.length];
    private long mark;

    private PairStatementCosts() {}

    public static void main(String[] args) throws Exception {
        MeasurementOptions options =
                MeasurementOptions.parse(args, MeasurementOptions.defaults("pairs", "20000", "units", "250000"));
        int pairs = options.integer("pairs");
        int units = options.integer("units");
        Path dir = Files.createTempDirectory("hotaru-pair-statements");
        Connection a = StoreSchema.open(dir.resolve("a.db"));
        Connection b = StoreSchema.open(dir.resolve("b.db"));
        KeySealer sealerA = new KeySealer(MasterKey.of(new byte[MasterKey.LENGTH]));
        KeySealer sealerB = new KeySealer(MasterKey.of(new byte[MasterKey.LENGTH]));
        try {
            KeyTable tableA = new KeyTable(a, sealerA, Clock.systemUTC());
            KeyTable tableB = new KeyTable(b, sealerB, Clock.systemUTC());
            fill(a, tableA, b, tableB, units);
            new PairStatementCosts().run(a, tableA, b, tableB, pairs); // warm-up
            new PairStatementCosts().run(a, tableA, b, tableB, pairs).print(pairs);
        } finally {
            sealerA.wipe();
            sealerB.wipe();
            StoreSchema.closeQuietly(a);
            StoreSchema.closeQuietly(b);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void fill(Connection a, KeyTable tableA, Connection b, KeyTable tableB, int units)
            throws SQLException {
        byte[] block = new byte[10_000 * KeyStore.KEY_BYTES];
        Random random = new Random(1);
        for (int blockId = 0; blockId * 10_000 < units; blockId++) {
            random.nextBytes(block);
            int id = blockId;
            tableA.insertBlock(LINK, id, block, 10_000, i -> KeyIds.derive(LINK, id, i));
            tableB.insertBlock(LINK, id, block, 10_000, i -> KeyIds.derive(LINK, id, i));
            a.commit();
            b.commit();
        }
        Arrays.fill(block, (byte) 0);
    }

    private PairStatementCosts run(Connection a, KeyTable tableA, Connection b, KeyTable tableB, int pairs)
            throws SQLException {
        for (int i = 0; i < pairs; i++) {
            long expiresAt = System.currentTimeMillis() + 60_000;
            start();
            List<KeyTable.Unit> picked = tableA.oldestAvailable(LINK, 1, UnitHalf.ANY);
            stop(0);
            KeyTable.Unit unit = picked.get(0);
            tableA.oldestAvailable(LINK, 1, UnitHalf.ANY);
            stop(11);
            tableA.setReserved(unit.seq(), unit.seq(), 0, KeyStore.UNIT_BITS, "m", expiresAt);
            stop(1);
            tableA.addPickup(unit.seq(), "m", KeyTable.Role.MASTER);
            stop(2);
            Arrays.fill(tableA.openUnits(picked, KeyStore.UNIT_BITS), (byte) 0);
            stop(3);
            long seqB = tableB.availableSeq(unit.keyId(), LINK).orElseThrow();
            stop(4);
            tableB.setReserved(seqB, seqB, 0, KeyStore.UNIT_BITS, "m", expiresAt);
            stop(5);
            tableB.addPickup(seqB, "s", KeyTable.Role.SLAVE);
            stop(6);
            tableA.removeMasterPickup(unit.seq(), unit.keyId(), "m");
            stop(7);
            KeyTable.OpenedKey key = tableB.openKeyFor(unit.keyId(), "s", "m", KeyTable.Role.SLAVE)
                    .orElseThrow();
            Arrays.fill(key.material(), (byte) 0);
            stop(8);
            tableB.removePickup(key.head(), "s", KeyTable.Role.SLAVE);
            stop(9);
            if (i % 10 == 9) {
                a.commit();
                b.commit();
                stop(10);
            }
        }
        return this;
    }

    private void start() {
        mark = THREADS.getCurrentThreadCpuTime();
    }

    private void stop(int step) {
        long now = THREADS.getCurrentThreadCpuTime();
        nanos[step] += now - mark;
        mark = THREADS.getCurrentThreadCpuTime();
    }

    private void print(int pairs) {
        long total = 0;
        for (int s = 0; s < STEPS.length; s++) {
            System.out.printf("%-36s %6.1f us CPU per pair%n", STEPS[s], nanos[s] / 1e3 / pairs);
            total += s == 11 ? 0 : nanos[s];
        }
        System.out.printf("%-36s %6.1f us CPU per pair (without the repeated query)%n", "total", total / 1e3 / pairs);
    }
}
