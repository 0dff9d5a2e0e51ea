package io.hotaru.bench.etsi;

import io.hotaru.bench.RunOptions;
import io.hotaru.keys.store.KeyBatch;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.Reservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store half of {@link Etsi014LoadDriver} without TLS or HTTP (a measurement, not a test): two
 * key stores in this JVM, {@code threads} threads each looping what one {@code enc_keys} +
 * {@code dec_keys} pair asks of them (reserve a 256-bit key at A, record the reservation at B,
 * confirm the master's delivery at A, deliver the key at B). Prints pairs/s and the CPU per pair of
 * each thread group, so that changes to the store's SQL can be compared with less noise than the
 * whole server gives.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hotaru.bench.etsi.KeyStorePairLoop [threads=32] [seconds=10]
 *     [warmup=8] [units=300000]</pre>
 */
public final class KeyStorePairLoop {
    private static final String LINK = "ab";
    private static final int BLOCK_UNITS = 10_000;

    private KeyStorePairLoop() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options =
                RunOptions.parse(args, Map.of("threads", "32", "seconds", "10", "warmup", "8", "units", "300000"));
        int threads = Integer.parseInt(options.get("threads"));
        int seconds = Integer.parseInt(options.get("seconds"));
        int warmup = Integer.parseInt(options.get("warmup"));
        int units = Integer.parseInt(options.get("units"));
        Path dir = Files.createTempDirectory("hotaru-store-bench");
        try (KeyStore a = KeyStore.open(dir.resolve("a.db"), MasterKey.of(filled(1)));
                KeyStore b = KeyStore.open(dir.resolve("b.db"), MasterKey.of(filled(2)))) {
            Random random = new Random(1);
            byte[] block = new byte[BLOCK_UNITS * KeyStore.KEY_BYTES];
            for (int blockId = 0; blockId * BLOCK_UNITS < units; blockId++) {
                random.nextBytes(block);
                a.ingest(LINK, blockId, block);
                b.ingest(LINK, blockId, block);
            }
            Arrays.fill(block, (byte) 0);
            run(a, b, threads, warmup, seconds);
        }
    }

    private static void run(KeyStore a, KeyStore b, int threads, int warmup, int seconds) throws Exception {
        AtomicLong pairs = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String master = "m" + t;
            String slave = "s" + t;
            loops.add(pool.submit(() -> {
                while (!stop.get()) {
                    try (Reservation r = a.reserve(LINK, 1, 256, master, List.of(), List.of(slave))) {
                        b.markReservedByPeer(r.announcement());
                        a.confirmMasterDelivery(r);
                        try (KeyBatch delivered = b.deliver(r.keyIds(), slave, master)) {
                            pairs.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep(warmup * 1000L);
        ThreadCpuTimes before = ThreadCpuTimes.snapshot();
        long pairsBefore = pairs.get();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        ThreadCpuTimes after = ThreadCpuTimes.snapshot();
        long measured = pairs.get() - pairsBefore;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Future<?> loop : loops) {
            loop.get();
        }
        pool.shutdown();
        System.out.printf("%,d pairs in %.1f s: %,.0f pairs/s%n", measured, elapsed, measured / elapsed);
        after.millisSince(before).entrySet().stream()
                .filter(e -> e.getValue() >= 10.0 * seconds)
                .forEach(e -> System.out.printf(
                        "  %-32s %6.1f us per pair%n", e.getKey(), 1000 * e.getValue() / Math.max(1, measured)));
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[MasterKey.LENGTH];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
