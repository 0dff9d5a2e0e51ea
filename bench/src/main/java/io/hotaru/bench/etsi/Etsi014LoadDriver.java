package io.hotaru.bench.etsi;

import io.hotaru.keys.etsi014.Etsi014Config;
import io.hotaru.keys.etsi014.Etsi014Server;
import io.hotaru.keys.etsi014.SaePair;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver for ETSI GS QKD 014 (a measurement, not a test): two KMEs in this JVM, {@code pairs}
 * SAE pairs each looping {@code enc_keys} at KME A then {@code dec_keys} of the same key at KME B,
 * over kept-alive mutual-TLS connections on loopback, 256-bit keys. Prints pairs/s and latency
 * percentiles of the pair and of each call.
 *
 * <pre>java -cp ... io.hotaru.bench.etsi.Etsi014LoadDriver [pairs=32] [seconds=20] [warmup=5] [dir=/tmp/...]</pre>
 */
public final class Etsi014LoadDriver {
    private static final Pattern KEY_ID = Pattern.compile("\"key_ID\":\"([0-9a-f-]{36})\"");
    private static final String LINK = "ab";

    private Etsi014LoadDriver() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options =
                new LinkedHashMap<>(Map.of("pairs", "32", "seconds", "20", "warmup", "5", "units", "250000"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv[1]);
        }
        int pairs = Integer.parseInt(options.get("pairs"));
        int seconds = Integer.parseInt(options.get("seconds"));
        int warmup = Integer.parseInt(options.get("warmup"));
        int units = Integer.parseInt(options.get("units"));
        Path dir = options.containsKey("dir")
                ? Path.of(options.get("dir"))
                : Files.createTempDirectory("hotaru-etsi-bench");
        System.out.printf(
                "ETSI 014 load: %d SAE pairs, %d s (+%d s warm-up), 256-bit keys, stores in %s, %d cores%n",
                pairs, seconds, warmup, dir, Runtime.getRuntime().availableProcessors());

        Map<String, String> kmeOfSae = new LinkedHashMap<>();
        Map<SaePair, String> acl = new LinkedHashMap<>();
        for (int i = 0; i < pairs; i++) {
            kmeOfSae.put("m" + i, "kme-a");
            kmeOfSae.put("s" + i, "kme-b");
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
                run(pki, kmeA.port(), kmeB.port(), pairs, warmup, seconds);
            }
        }
    }

    private static void run(PkiFiles pki, int portA, int portB, int pairs, int warmup, int seconds) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        List<long[]> pairLatencies = new ArrayList<>();
        List<long[]> encLatencies = new ArrayList<>();
        List<long[]> decLatencies = new ArrayList<>();
        int[] counts = new int[pairs];
        CountDownLatch done = new CountDownLatch(pairs);
        int capacity = 400_000;
        for (int i = 0; i < pairs; i++) {
            long[] pair = new long[capacity];
            long[] encTimes = new long[capacity];
            long[] decTimes = new long[capacity];
            pairLatencies.add(pair);
            encLatencies.add(encTimes);
            decLatencies.add(decTimes);
            int index = i;
            HttpClient master = client(pki, "m" + i);
            HttpClient slave = client(pki, "s" + i);
            HttpRequest encRequest = HttpRequest.newBuilder(URI.create(
                            "https://localhost:" + portA + "/api/v1/keys/s" + i + "/enc_keys?number=1&size=256"))
                    .GET()
                    .build();
            String decBase = "https://localhost:" + portB + "/api/v1/keys/m" + i + "/dec_keys?key_ID=";
            Thread thread = new Thread(
                    () -> {
                        try {
                            while (!stop.get()) {
                                long start = System.nanoTime();
                                HttpResponse<String> enc =
                                        master.send(encRequest, HttpResponse.BodyHandlers.ofString());
                                long mid = System.nanoTime();
                                if (enc.statusCode() != 200) {
                                    errors.incrementAndGet();
                                    continue;
                                }
                                Matcher m = KEY_ID.matcher(enc.body());
                                m.find();
                                HttpResponse<String> dec = slave.send(
                                        HttpRequest.newBuilder(URI.create(decBase + m.group(1)))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                                long end = System.nanoTime();
                                if (dec.statusCode() != 200) {
                                    errors.incrementAndGet();
                                    continue;
                                }
                                if (measuring.get() && counts[index] < capacity) {
                                    int n = counts[index]++;
                                    pair[n] = end - start;
                                    encTimes[n] = mid - start;
                                    decTimes[n] = end - mid;
                                }
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            System.err.println("pair " + index + " stopped: " + e);
                        } finally {
                            done.countDown();
                        }
                    },
                    "sae-pair-" + i);
            thread.start();
        }
        Thread.sleep(warmup * 1000L);
        long errorsBefore = errors.get();
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        done.await();
        int total = Arrays.stream(counts).sum();
        System.out.printf(
                "%,d enc_keys+dec_keys pairs in %.1f s: %,.0f pairs/s (%,.0f requests/s), %d failed requests%n",
                total, elapsed, total / elapsed, 2 * total / elapsed, errors.get() - errorsBefore);
        print("pair (enc+dec)", merge(pairLatencies, counts));
        print("enc_keys", merge(encLatencies, counts));
        print("dec_keys", merge(decLatencies, counts));
    }

    private static HttpClient client(PkiFiles pki, String sae) {
        return HttpClient.newBuilder()
                .sslContext(TlsContexts.jdkClient(pki.sae(sae), pki.readPkcs12Password(), pki.caCertificate()))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static long[] merge(List<long[]> perThread, int[] counts) {
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            System.arraycopy(perThread.get(i), 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return all;
    }

    private static void print(String what, long[] sorted) {
        if (sorted.length == 0) {
            System.out.println(what + ": no samples");
            return;
        }
        System.out.printf(
                "%-15s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  max %6.2f ms%n",
                what,
                at(sorted, 0.50),
                at(sorted, 0.90),
                at(sorted, 0.99),
                at(sorted, 0.999),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1e6;
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[MasterKey.LENGTH];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
