package io.hotaru.bench.store;

import io.hotaru.bench.RunOptions;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.Reservation;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What deleting spent units' rows costs (a measurement, not a test): one store, {@code units} units
 * ingested in blocks of 10,000 and erased, then its clock moved on a period at a time, with a purge
 * pass each, until a retention and two periods are past (by then every row spent before is gone);
 * {@code rounds} times over, so that the later rounds show the file reusing the pages the earlier
 * ones freed. Prints per round the rows deleted, the passes' wall time and rows/s, the writer's
 * work per store operation (what an operation queued behind one of the passes' waits at most), and
 * the file's size. With {@code load=N}, N threads also take keys of another link (reserve, then
 * confirm the master's delivery) for 8 s before the passes and during them, and the run prints the
 * keys' latencies in both: what a pass costs the operations queued behind it.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hotaru.bench.store.SpentPurgeRun [units=500000] [rounds=3] [load=0]</pre>
 */
public final class SpentPurgeRun {
    private static final String LINK = "ab";
    private static final int BLOCK_UNITS = 10_000;

    private static final String LOAD_LINK = "cd";
    private static final int LOAD_UNITS = 300_000;
    private static final long LOAD_BASELINE_MILLIS = 8_000;

    private SpentPurgeRun() {}

    /**
     * {@code threads} threads each reserving a 256-bit key of {@link #LOAD_LINK} and confirming its
     * delivery (two store operations, what a master's {@code enc_keys} asks of its store), timed.
     */
    private static final class Load {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final List<long[]> samples = new ArrayList<>();

        static Load start(KeyStore store, int threads) {
            Load load = new Load();
            for (int t = 0; t < threads; t++) {
                long[] mine = new long[1 << 20];
                load.samples.add(mine);
                Thread thread = new Thread(() -> {
                    int n = 0;
                    while (load.running.get() && n < mine.length - 1) {
                        long start = System.nanoTime();
                        try (Reservation r = store.reserve(LOAD_LINK, 1, 256, "sae-a", List.of(), List.of("sae-b"))) {
                            store.confirmMasterDelivery(r);
                        } catch (KeyManagerException e) {
                            if (e.code() != KeyManagerException.Code.KEYS_EXHAUSTED) {
                                throw e;
                            }
                            load.refill(store); // not timed
                            continue;
                        }
                        mine[++n] = System.nanoTime() - start;
                    }
                    mine[0] = n;
                });
                load.threads.add(thread);
                thread.start();
            }
            return load;
        }

        private static long nextLoadBlock = LOAD_UNITS / BLOCK_UNITS;

        /** Another block of the load's link, once its keys run out. */
        private void refill(KeyStore store) {
            synchronized (Load.class) {
                if (store.availableCount(LOAD_LINK) > 0) {
                    return;
                }
                byte[] block = new byte[BLOCK_UNITS * KeyStore.KEY_BYTES];
                new Random(nextLoadBlock).nextBytes(block);
                store.ingest(LOAD_LINK, nextLoadBlock++, block);
            }
        }

        /** Stops the threads; their keys per second and latencies. */
        String stop() throws InterruptedException {
            long began = System.nanoTime();
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
            List<Long> all = new ArrayList<>();
            for (long[] mine : samples) {
                for (int i = 1; i <= mine[0]; i++) {
                    all.add(mine[i]);
                }
            }
            all.sort(null);
            if (all.isEmpty()) {
                return "no keys";
            }
            return String.format(
                    "%,d keys; p50 %.2f ms, p99 %.2f ms, max %.2f ms (stopped in %.0f ms)",
                    all.size(),
                    all.get(all.size() / 2) / 1e6,
                    all.get(Math.min(all.size() - 1, (int) (all.size() * 0.99))) / 1e6,
                    all.get(all.size() - 1) / 1e6,
                    (System.nanoTime() - began) / 1e6);
        }
    }

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
        Map<String, String> options = RunOptions.parse(args, Map.of("units", "500000", "rounds", "3", "load", "0"));
        int units = Integer.parseInt(options.get("units"));
        int rounds = Integer.parseInt(options.get("rounds"));
        int load = Integer.parseInt(options.get("load"));
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
            for (int stored = 0; load > 0 && stored < LOAD_UNITS; stored += BLOCK_UNITS) {
                random.nextBytes(block);
                store.ingest(LOAD_LINK, stored / BLOCK_UNITS, block);
            }
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
                if (load > 0) {
                    Load idle = Load.start(store, load);
                    Thread.sleep(LOAD_BASELINE_MILLIS);
                    System.out.println("  without a pass: " + idle.stop());
                }
                Load busy = load > 0 ? Load.start(store, load) : null;
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
                if (busy != null) {
                    System.out.println("  during the passes: " + busy.stop());
                }
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
