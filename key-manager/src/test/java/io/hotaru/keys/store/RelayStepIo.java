package io.hotaru.keys.store;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A measurement, not a test (run by hand, never by Maven): the process CPU time and the file system
 * calls per relay of a relay source's store steps, through the real {@link KeyStore} (its writer,
 * WAL fsync and checkpoint threads) and {@link RelayStore}: each relay takes one unit of a link's
 * even half as its pad, stores a 256-bit key under an end-to-end link and journals four lines,
 * {@code batch} relays to a step, one step at a time, each waited for until durable. Reads and
 * writes come from {@code /proc/self/io} (so: Linux), counted over a second round of {@code relays}
 * after a first that warms up. With {@code sequential=true} the end-to-end blocks (relay IDs) are
 * numbered in order instead of drawn at random.
 *
 * <p>After {@code mvn -o -B -pl bench -am package -DskipTests} (whose jar carries the dependencies):
 *
 * <pre>java -cp key-manager/target/test-classes:key-manager/target/classes:bench/target/benchmarks.jar \
 *     io.hotaru.keys.store.RelayStepIo [relays=20000] [batch=16] [sequential=false]</pre>
 */
final class RelayStepIo {
    private RelayStepIo() {}

    public static void main(String[] args) throws Exception {
        MeasurementOptions options = MeasurementOptions.parse(
                args, MeasurementOptions.defaults("relays", "20000", "batch", "16", "sequential", "false"));
        int relays = options.integer("relays");
        int batch = options.integer("batch");
        boolean sequential = options.flag("sequential");
        Path dir = Files.createTempDirectory("hotaru-relay-io");
        try (KeyStore store = KeyStore.open(dir.resolve("n.db"), MasterKey.of(new byte[MasterKey.LENGTH]))) {
            Random random = new Random(1);
            byte[] block = new byte[10_000 * KeyStore.KEY_BYTES];
            for (int b = 0; b * 10_000 < 6 * relays; b++) {
                random.nextBytes(block);
                store.ingest("link", b, block);
            }
            RelayStore relay = new RelayStore(store);
            long[] nextBlock = {1L << 40};
            for (int round = 0; round < 2; round++) {
                long[] before = io();
                long cpuBefore = processCpuNanos();
                for (int done = 0; done < relays; done += batch) {
                    int n = Math.min(batch, relays - done);
                    boolean inOrder = sequential;
                    relay.step(tx -> {
                                List<PadUnits> pads = new ArrayList<>();
                                List<String> lines = new ArrayList<>();
                                byte[] key = new byte[KeyStore.KEY_BYTES];
                                for (int i = 0; i < n; i++) {
                                    pads.add(tx.takeOldest("link", 1, UnitHalf.EVEN)
                                            .orElseThrow());
                                    random.nextBytes(key);
                                    long blockId = inOrder ? nextBlock[0]++ : random.nextLong() & Long.MAX_VALUE;
                                    tx.ingest("end-to-end", blockId, blockId, key);
                                    for (int j = 0; j < 4; j++) {
                                        lines.add("EVENT " + blockId + " link 00000000-0000-8000-8000-00000000000" + j);
                                    }
                                }
                                tx.journal(lines);
                                return (AutoCloseable) () -> pads.forEach(PadUnits::close);
                            })
                            .close();
                }
                long[] after = io();
                if (round == 1) {
                    System.out.printf(
                            "%d relays, %d to a step, %s blocks: per relay %.1f us CPU; %.1f reads, %.0f bytes;"
                                    + " %.1f writes, %.0f bytes%n",
                            relays,
                            batch,
                            sequential ? "sequential" : "random",
                            (processCpuNanos() - cpuBefore) / 1e3 / relays,
                            (after[2] - before[2]) / (double) relays,
                            (after[0] - before[0]) / (double) relays,
                            (after[3] - before[3]) / (double) relays,
                            (after[1] - before[1]) / (double) relays);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** rchar, wchar, syscr, syscw of this process. */
    private static long[] io() throws Exception {
        long[] v = new long[4];
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            String[] kv = line.split(":\\s*");
            switch (kv[0]) {
                case "rchar" -> v[0] = Long.parseLong(kv[1]);
                case "wchar" -> v[1] = Long.parseLong(kv[1]);
                case "syscr" -> v[2] = Long.parseLong(kv[1]);
                case "syscw" -> v[3] = Long.parseLong(kv[1]);
                default -> {}
            }
        }
        return v;
    }
}
