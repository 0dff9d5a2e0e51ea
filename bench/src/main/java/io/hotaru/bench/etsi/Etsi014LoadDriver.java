package io.hotaru.bench.etsi;

import io.hotaru.keys.etsi014.Etsi014Config;
import io.hotaru.keys.etsi014.Etsi014Server;
import io.hotaru.keys.etsi014.SaePair;
import io.hotaru.keys.net.NettyTransport;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.CheckpointStats;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.WriterStats;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver for ETSI GS QKD 014 (a measurement, not a test): two KMEs in this JVM, {@code pairs}
 * SAE pairs each looping {@code enc_keys} at its master's KME then {@code dec_keys} of the same key
 * at its slave's, over kept-alive mutual-TLS connections on loopback, 256-bit keys. The masters of
 * the first {@code reverse} pairs (default 0) are at KME B, the others' at KME A, so that both KMEs
 * pick keys of the one link at once. Prints pairs/s, latency
 * percentiles of the pair and of each call, and where this JVM's CPU went. The SAEs are Netty
 * clients on {@code threads} event loop threads (default 1), so that the driver takes as little of
 * the shared cores as it can.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hotaru.bench.etsi.Etsi014LoadDriver [pairs=32] [seconds=20]
 *     [warmup=5] [units=400000] [threads=1] [reverse=0] [dir=/tmp/...]</pre>
 *
 * <p>{@code units} must outlast warm-up and measurement at the rate reached (8,000 pairs/s for 35 s
 * take 280,000); when the pool runs dry, the failed requests are printed and the run does not count.
 */
public final class Etsi014LoadDriver {
    private static final String LINK = "ab";

    private Etsi014LoadDriver() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "pairs", "32", "seconds", "20", "warmup", "5", "units", "400000", "threads", "1", "reverse", "0"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv[1]);
        }
        int pairs = Integer.parseInt(options.get("pairs"));
        int seconds = Integer.parseInt(options.get("seconds"));
        int warmup = Integer.parseInt(options.get("warmup"));
        int units = Integer.parseInt(options.get("units"));
        int reverse = Integer.parseInt(options.get("reverse"));
        int threads = Integer.parseInt(options.get("threads"));
        Path dir = options.containsKey("dir")
                ? Path.of(options.get("dir"))
                : Files.createTempDirectory("hotaru-etsi-bench");
        System.out.printf(
                "ETSI 014 load: %d SAE pairs (%d with the master at KME B), %d s (+%d s warm-up), 256-bit keys,"
                        + " stores in %s, %d cores%n",
                pairs, reverse, seconds, warmup, dir, Runtime.getRuntime().availableProcessors());

        Map<String, String> kmeOfSae = new LinkedHashMap<>();
        Map<SaePair, String> acl = new LinkedHashMap<>();
        for (int i = 0; i < pairs; i++) {
            kmeOfSae.put("m" + i, i < reverse ? "kme-b" : "kme-a");
            kmeOfSae.put("s" + i, i < reverse ? "kme-a" : "kme-b");
            acl.put(new SaePair("m" + i, "s" + i), LINK);
        }
        PkiFiles pki = Pki.create(dir.resolve("pki"), List.of("kme-a", "kme-b"), List.copyOf(kmeOfSae.keySet()));
        try (KeyStore a = KeyStore.open(dir.resolve("a.db"), MasterKey.of(filled(1)));
                KeyStore b = KeyStore.open(dir.resolve("b.db"), MasterKey.of(filled(2)))) {
            long t0 = System.nanoTime();
            Random random = new Random(1);
            byte[] block = new byte[10_000 * KeyStore.KEY_BYTES];
            for (int blockId = 0; blockId * 10_000 < units; blockId++) {
                random.nextBytes(block);
                a.ingest(LINK, blockId, block);
                b.ingest(LINK, blockId, block);
            }
            Arrays.fill(block, (byte) 0);
            System.out.printf("ingested %,d units per store in %.1f s%n", units, (System.nanoTime() - t0) / 1e9);
            try (Etsi014Server kmeA = Etsi014Server.start(
                            Etsi014Config.of("kme-a", 0, kmeOfSae, acl),
                            TlsContexts.kmeServer(pki, "kme-a"),
                            a,
                            new LocalPeerReservations(Map.of(LINK, b)));
                    Etsi014Server kmeB = Etsi014Server.start(
                            Etsi014Config.of("kme-b", 0, kmeOfSae, acl),
                            TlsContexts.kmeServer(pki, "kme-b"),
                            b,
                            new LocalPeerReservations(Map.of(LINK, a)))) {
                run(pki, kmeA.port(), kmeB.port(), pairs, reverse, warmup, seconds, threads, List.of(a, b));
            }
        }
    }

    private static void run(
            PkiFiles pki,
            int portA,
            int portB,
            int pairs,
            int reverse,
            int warmup,
            int seconds,
            int threads,
            List<KeyStore> stores)
            throws Exception {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        LatencySamples samples = new LatencySamples(pairs, 400_000);
        CountDownLatch stopped = new CountDownLatch(pairs);
        EventLoopGroup group = NettyTransport.get().group(threads, "load-driver");
        try {
            List<SaePairLoop> loops = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                SaePairLoop loop = new SaePairLoop(i, samples, measuring, stop, errors, stopped);
                loop.connect(
                        group,
                        TlsContexts.client(pki.sae("m" + i), pki.caCertificate()),
                        i < reverse ? portB : portA,
                        TlsContexts.client(pki.sae("s" + i), pki.caCertificate()),
                        i < reverse ? portA : portB);
                loops.add(loop);
            }
            loops.forEach(SaePairLoop::start);
            Thread.sleep(warmup * 1000L);
            long errorsBefore = errors.get();
            ThreadCpuTimes cpuBefore = ThreadCpuTimes.snapshot();
            List<WriterStats> writersBefore =
                    stores.stream().map(KeyStore::writerStats).toList();
            List<CheckpointStats> checkpointsBefore =
                    stores.stream().map(KeyStore::checkpointStats).toList();
            GcTotals gcBefore = GcTotals.now();
            measuring.set(true);
            long t0 = System.nanoTime();
            long[] perSecond = new long[seconds];
            long last = 0;
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(Math.max(0, (t0 + (s + 1) * 1_000_000_000L - System.nanoTime()) / 1_000_000));
                long now = samples.measured();
                perSecond[s] = now - last;
                last = now;
            }
            measuring.set(false);
            GcTotals gc = GcTotals.now().minus(gcBefore);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            ThreadCpuTimes cpuAfter = ThreadCpuTimes.snapshot();
            List<WriterStats> writersAfter =
                    stores.stream().map(KeyStore::writerStats).toList();
            List<CheckpointStats> checkpointsAfter =
                    stores.stream().map(KeyStore::checkpointStats).toList();
            stop.set(true);
            stopped.await();
            int total = samples.total();
            System.out.printf(
                    "%,d enc_keys+dec_keys pairs in %.1f s: %,.0f pairs/s (%,.0f requests/s), %d failed requests%n",
                    total, elapsed, total / elapsed, 2 * total / elapsed, errors.get() - errorsBefore);
            long[] sortedRates = perSecond.clone();
            Arrays.sort(sortedRates);
            System.out.printf(
                    "pairs per second over the run: min %,d, median %,d, max %,d; each second: %s%n",
                    sortedRates[0],
                    sortedRates[sortedRates.length / 2],
                    sortedRates[sortedRates.length - 1],
                    Arrays.toString(perSecond));
            System.out.printf("garbage collections while measuring: %d taking %d ms in all%n", gc.count(), gc.millis());
            print("pair (enc+dec)", samples.sortedPair());
            print("enc_keys", samples.sortedEnc());
            print("dec_keys", samples.sortedDec());
            printCpu(cpuAfter.millisSince(cpuBefore), total);
            double processMillis = cpuAfter.processMillisSince(cpuBefore);
            System.out.printf(
                    "CPU of the whole process while measuring (with JIT compilers and GC): %.0f ms, %.1f us per pair;"
                            + " JIT compiling: %d ms%n",
                    processMillis, 1000 * processMillis / Math.max(1, total), cpuAfter.jitMillisSince(cpuBefore));
            for (int i = 0; i < stores.size(); i++) {
                WriterStats w = writersAfter.get(i).minus(writersBefore.get(i));
                System.out.printf(
                        "store %s: %,d commits, %.1f operations per commit, %.0f us work + %.0f us commit per"
                                + " batch; %,d WAL fsyncs of %.2f ms%n",
                        stores.get(i),
                        w.batches(),
                        w.operationsPerBatch(),
                        w.workNanos() / 1e3 / Math.max(1, w.batches()),
                        w.commitNanos() / 1e3 / Math.max(1, w.batches()),
                        w.syncs(),
                        w.syncNanos() / 1e6 / Math.max(1, w.syncs()));
                System.out.printf(
                        "  commits over 5 ms (the writer's own checkpoints, or no core): %,d taking %.0f ms in all%n",
                        w.slowCommits(), w.slowCommitNanos() / 1e6);
                CheckpointStats c = checkpointsAfter.get(i).minus(checkpointsBefore.get(i));
                System.out.printf(
                        "  background checkpoints: %,d copying %,d frames (%.2f per pair), %.2f ms each%n",
                        c.checkpoints(),
                        c.framesCopied(),
                        (double) c.framesCopied() / Math.max(1, total),
                        c.nanos() / 1e6 / Math.max(1, c.checkpoints()));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void printCpu(Map<String, Double> millisByThreadGroup, int pairs) {
        double sum = millisByThreadGroup.values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
        System.out.printf(
                "CPU of this JVM while measuring: %.0f ms, %.1f us per pair%n", sum, 1000 * sum / Math.max(1, pairs));
        millisByThreadGroup.entrySet().stream()
                .filter(e -> e.getValue() >= sum / 200)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> System.out.printf(
                        "  %-40s %5.1f %%  %6.1f us per pair%n",
                        e.getKey(), 100 * e.getValue() / sum, 1000 * e.getValue() / Math.max(1, pairs)));
    }

    private static void print(String what, long[] sorted) {
        if (sorted.length == 0) {
            System.out.println(what + ": no samples");
            return;
        }
        System.out.printf(
                "%-15s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  max %6.2f ms%n",
                what,
                LatencySamples.quantileMillis(sorted, 0.50),
                LatencySamples.quantileMillis(sorted, 0.90),
                LatencySamples.quantileMillis(sorted, 0.99),
                LatencySamples.quantileMillis(sorted, 0.999),
                sorted[sorted.length - 1] / 1e6);
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[MasterKey.LENGTH];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
