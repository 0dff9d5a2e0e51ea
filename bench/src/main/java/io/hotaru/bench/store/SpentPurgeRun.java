package io.hotaru.bench.store;

import io.hotaru.bench.RunOptions;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.StoreOptions;
import io.hotaru.keys.store.WriterStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * What deleting spent units' rows costs (a measurement, not a test): one store, {@code units} units
 * ingested in blocks of 10,000 and erased, then its clock moved on a period at a time, with a purge
 * pass each, until a retention and two periods are past (by then every row spent before is gone);
 * {@code rounds} times over, so that the later rounds show the file reusing the pages the earlier
 * ones freed. Prints per round the rows deleted, the passes' wall time and rows/s, the writer's
 * work per store operation (what an operation queued behind one of the passes' waits at most), and
 * the file's size.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hotaru.bench.store.SpentPurgeRun [units=500000] [rounds=3]</pre>
 */
public final class SpentPurgeRun {
    private static final String LINK = "ab";
    private static final int BLOCK_UNITS = 10_000;

    private SpentPurgeRun() {}

    /** A clock that the run moves on. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = RunOptions.parse(args, Map.of("units", "500000", "rounds", "3"));
        int units = Integer.parseInt(options.get("units"));
        int rounds = Integer.parseInt(options.get("rounds"));
        Path dir = Files.createTempDirectory("hotaru-purge-bench");
        Path file = dir.resolve("a.db");
        MovableClock clock = new MovableClock();
        Duration retention = StoreOptions.MIN_SPENT_RETENTION;
        Duration period = retention.dividedBy(24); // KeyStore's own period for this retention
        byte[] master = new byte[MasterKey.LENGTH];
        Arrays.fill(master, (byte) 1);
        try (KeyStore store = KeyStore.open(
                file,
                MasterKey.of(master),
                StoreOptions.defaults().withClock(clock).withSpentRetention(retention))) {
            Random random = new Random(1);
            byte[] block = new byte[BLOCK_UNITS * KeyStore.KEY_BYTES];
            long blockId = 0;
            for (int round = 1; round <= rounds; round++) {
                for (int stored = 0; stored < units; stored += BLOCK_UNITS, blockId++) {
                    random.nextBytes(block);
                    store.ingest(LINK, blockId, block);
                    List<UUID> ids = new ArrayList<>(BLOCK_UNITS);
                    for (int i = 0; i < BLOCK_UNITS; i++) {
                        ids.add(KeyIds.derive(LINK, blockId, i));
                    }
                    store.burn(LINK, ids);
                }
                long before = Files.size(file);
                WriterStats from = store.writerStats();
                long deleted = 0;
                long nanos = 0;
                // passes every period, as the store runs them, until a retention and two periods are past
                for (Duration waited = Duration.ZERO;
                        waited.compareTo(retention.plus(period.multipliedBy(2))) < 0;
                        waited = waited.plus(period)) {
                    clock.advance(period);
                    long start = System.nanoTime();
                    deleted += store.purgeSpent();
                    nanos += System.nanoTime() - start;
                }
                double seconds = nanos / 1e9;
                WriterStats pass = store.writerStats().minus(from);
                System.out.printf(
                        "round %d: %,d rows deleted in %.2f s (%,.0f rows/s); %,d store operations, writer work %.2f ms"
                                + " per operation, %,d commits; file %.1f MB before the passes, %.1f MB after%n",
                        round,
                        deleted,
                        seconds,
                        deleted / seconds,
                        pass.operations(),
                        pass.workNanos() / 1e6 / Math.max(1, pass.operations()),
                        pass.batches(),
                        before / 1e6,
                        Files.size(file) / 1e6);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
