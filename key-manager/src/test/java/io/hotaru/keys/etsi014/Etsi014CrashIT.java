package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyState;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.reliability.figures.KeyHistory;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a KME process while SAEs take keys from it over ETSI GS QKD 014: the child
 * ({@link Etsi014CrashChild}) runs the master KME A and the slave KME B with their stores and mTLS
 * servers; this test is the two SAEs, sae-a asking A for keys ({@code enc_keys}) and sae-b collecting
 * them at B ({@code dec_keys}) as fast as they can, until the child is killed at a random moment
 * and started again on the same files, {@value #DEFAULT_KILLS} times in every build
 * ({@code hotaru.etsi.kills} in the reliability profiles). Before half of the kills the child is
 * paused (SIGSTOP) for up to a second longer than the SAEs' request timeout and resumed, so some
 * answers come after their SAE gave up. Then, on a last start:
 *
 * <ul>
 *   <li>every key sae-a received is retrievable by sae-b exactly once, with the same bytes, unless
 *       sae-b's request for it was cut by a kill (it may have been served then);
 *   <li>no key sae-b collected, before or after a kill, can be collected again;
 *   <li>in the stores, no unit is delivered at one KME and available at either.
 * </ul>
 */
class Etsi014CrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_KILLS = 3;
    private static final int KILLS = ReliabilityFigures.count("hotaru.etsi.kills", DEFAULT_KILLS);
    private static final int UNITS = 40_000;
    private static final int REQUEST_TIMEOUT_MILLIS = 3_000;

    @TempDir
    Path dir;

    private Process child;

    /** What sae-a received (the first end) and sae-b collected (the second), as digests only. */
    private final KeyHistory history = new KeyHistory();

    private final ConcurrentLinkedQueue<String> toCollect = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inDoubt = new AtomicInteger();
    /** Requests answered 200 by either KME while the kills run: the load held during the faults. */
    private final AtomicLong answered = new AtomicLong();

    private final List<String> unexpected = new ArrayList<>();

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.toHandle().destroyForcibly();
            child.waitFor();
        }
    }

    @Test
    @Tag("reliability")
    void sigkillDuringEtsiDeliveriesLosesNoKeyAndDeliversNoneTwice() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("Etsi014CrashIT seed " + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        PkiFiles pki = Pki.create(dir.resolve("pki"), List.of("kme-a", "kme-b"), List.of("sae-a", "sae-b"));
        byte[] material = new byte[UNITS * KeyStore.KEY_BYTES];
        random.nextBytes(material);
        try (KeyStore a = KeyStore.open(dir.resolve("a.db"), MasterKey.loadOrCreate(dir.resolve("a.key")));
                KeyStore b = KeyStore.open(dir.resolve("b.db"), MasterKey.loadOrCreate(dir.resolve("b.key")))) {
            a.ingest(Etsi014CrashChild.LINK, 1, material.clone());
            b.ingest(Etsi014CrashChild.LINK, 1, material);
        }
        Duration timeout = Duration.ofMillis(REQUEST_TIMEOUT_MILLIS);
        Sae saeA = new Sae(
                TlsContexts.jdkClient(pki.sae("sae-a"), pki.readPkcs12Password(), pki.caCertificate()), timeout);
        Sae saeB = new Sae(
                TlsContexts.jdkClient(pki.sae("sae-b"), pki.readPkcs12Password(), pki.caCertificate()), timeout);

        int pauses = 0;
        long loadStarted = System.nanoTime();
        for (int run = 0; run < KILLS; run++) {
            int[] ports = startChild();
            AtomicBoolean running = new AtomicBoolean(true);
            Random r = new Random(random.nextLong());
            CompletableFuture<Void> master = CompletableFuture.runAsync(() -> takeKeys(saeA, ports[0], running, r));
            CompletableFuture<Void> slave = CompletableFuture.runAsync(() -> collectKeys(saeB, ports[1], running));
            Thread.sleep(300 + random.nextInt(900));
            if (random.nextBoolean()) {
                // a pause: some requests outlive the SAEs' timeout and are answered after it
                signal("STOP");
                Thread.sleep(500 + random.nextInt(REQUEST_TIMEOUT_MILLIS + 1000));
                signal("CONT");
                pauses++;
                Thread.sleep(200 + random.nextInt(600));
            }
            child.toHandle().destroyForcibly();
            child.waitFor();
            running.set(false);
            master.get(60, TimeUnit.SECONDS);
            slave.get(60, TimeUnit.SECONDS);
        }
        long loadSeconds = Math.max(1, (System.nanoTime() - loadStarted) / 1_000_000_000L);
        List<String> received = history.keys(KeyHistory.End.FIRST);
        System.out.printf(
                "Etsi014CrashIT: %d kills, %d keys delivered to sae-a, %d collected by sae-b before a kill,"
                        + " %d collections cut by a kill, %d requests answered in %d s of faults (%d/s)%n",
                KILLS,
                received.size(),
                history.keys(KeyHistory.End.SECOND).size(),
                inDoubt.get(),
                answered.get(),
                loadSeconds,
                answered.get() / loadSeconds);
        assertThat(unexpected).as("answers while the KMEs were up").isEmpty();
        assertThat(received).hasSizeGreaterThan(KILLS);

        int[] ports = startChild();
        Sae checker = new Sae(
                TlsContexts.jdkClient(pki.sae("sae-b"), pki.readPkcs12Password(), pki.caCertificate()),
                Duration.ofSeconds(30));
        for (String id : received) {
            // a key sae-b has not collected is collected now; then none may be collected again
            if (!history.seen(KeyHistory.End.SECOND, id)) {
                HttpResponse<String> dec = checker.get(ports[1], "sae-a/dec_keys?key_ID=" + id);
                if (dec.statusCode() == 200) {
                    observeCollected(id, dec.body());
                }
            }
            HttpResponse<String> again = checker.get(ports[1], "sae-a/dec_keys?key_ID=" + id);
            if (again.statusCode() == 200) {
                observeCollected(id, again.body());
            }
        }
        child.toHandle().destroyForcibly();
        child.waitFor();

        try (KeyStore a = KeyStore.open(dir.resolve("a.db"), MasterKey.loadOrCreate(dir.resolve("a.key")));
                KeyStore b = KeyStore.open(dir.resolve("b.db"), MasterKey.loadOrCreate(dir.resolve("b.key")))) {
            for (int i = 0; i < UNITS; i++) {
                UUID unit = KeyIds.derive(Etsi014CrashChild.LINK, 1, i);
                KeyState atA = a.stateOf(unit).orElseThrow();
                KeyState atB = b.stateOf(unit).orElseThrow();
                if ((atA == KeyState.DELIVERED || atB == KeyState.DELIVERED)
                        && (atA == KeyState.AVAILABLE || atB == KeyState.AVAILABLE)) {
                    history.deliveredAndAvailable(unit);
                }
            }
        }
        ReliabilityFigures.record("sigkills", "kme-etsi-server", KILLS);
        ReliabilityFigures.record("sigstops", "kme-etsi-server", pauses);
        ReliabilityFigures.record("etsi_requests_under_faults", "kme-etsi-server", answered.get());
        ReliabilityFigures.record("etsi_keys_under_faults", "kme-etsi-server", received.size());
        KeyHistory.Verdict verdict = history.record("kme-etsi-server");
        assertThat(history.findings())
                .as("keys lost, collected twice or differing between sae-a and sae-b: %s", verdict)
                .isEmpty();
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(child.pid())).start();
        assertThat(kill.waitFor()).as("kill -%s", name).isZero();
    }

    /** sae-a: enc_keys at A until the kill; a 200 is a key it holds. */
    private void takeKeys(Sae sae, int port, AtomicBoolean running, Random random) {
        while (running.get()) {
            int number = 1 + random.nextInt(3);
            int size = random.nextBoolean() ? 256 : 512;
            HttpResponse<String> enc;
            try {
                enc = sae.get(port, "sae-b/enc_keys?number=" + number + "&size=" + size);
            } catch (IOException | InterruptedException cut) {
                return; // the kill or a pause past the timeout: this answer never reached sae-a
            }
            if (enc.statusCode() != 200) {
                record("enc_keys " + enc.statusCode() + " " + enc.body());
                return;
            }
            answered.incrementAndGet();
            try {
                for (JsonNode key : JSON.readTree(enc.body()).get("keys")) {
                    String id = key.get("key_ID").asText();
                    byte[] bytes = Base64.getDecoder().decode(key.get("key").asText());
                    history.observe(KeyHistory.End.FIRST, id, bytes);
                    Arrays.fill(bytes, (byte) 0);
                    toCollect.add(id);
                }
            } catch (IOException e) {
                record("enc_keys body " + e);
                return;
            }
        }
    }

    /** sae-b: dec_keys at B for what sae-a received, one key per request, until the kill. */
    private void collectKeys(Sae sae, int port, AtomicBoolean running) {
        while (running.get()) {
            String id = toCollect.poll();
            if (id == null) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            HttpResponse<String> dec;
            try {
                dec = sae.get(port, "sae-a/dec_keys?key_ID=" + id);
            } catch (IOException | InterruptedException cut) {
                history.inDoubt(id); // cut by the kill or a pause: served or not, sae-b cannot tell
                inDoubt.incrementAndGet();
                return;
            }
            if (dec.statusCode() != 200) {
                record("dec_keys " + id + " " + dec.statusCode() + " " + dec.body());
                return;
            }
            answered.incrementAndGet();
            observeCollected(id, dec.body());
        }
    }

    /** A dec_keys answer for {@code id}: its key goes into the history as collected by sae-b. */
    private void observeCollected(String id, String body) {
        try {
            JsonNode key = JSON.readTree(body).get("keys").get(0);
            if (!key.get("key_ID").asText().equals(id)) {
                record("dec_keys for " + id + " answered key "
                        + key.get("key_ID").asText());
                return;
            }
            byte[] bytes = Base64.getDecoder().decode(key.get("key").asText());
            history.observe(KeyHistory.End.SECOND, id, bytes);
            Arrays.fill(bytes, (byte) 0);
        } catch (IOException e) {
            record("dec_keys body " + e);
        }
    }

    private synchronized void record(String problem) {
        unexpected.add(problem);
    }

    /** Starts the child on the same files and returns the ports of A and B once both listen. */
    private int[] startChild() throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Etsi014CrashChild.class.getName(),
                dir.toString());
        child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("child.err").toFile()))
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String line = ready.get(90, TimeUnit.SECONDS);
        assertThat(line).as("child started (see %s)", dir.resolve("child.err")).isNotNull();
        String[] words = line.split(" ");
        return new int[] {Integer.parseInt(words[1]), Integer.parseInt(words[2])};
    }

    /** One SAE with its client certificate, over kept-alive connections to whichever KME it asks. */
    private static final class Sae {
        private final HttpClient client;
        private final Duration timeout;

        Sae(SSLContext tls, Duration timeout) {
            this.timeout = timeout;
            this.client = HttpClient.newBuilder()
                    .sslContext(tls)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
        }

        HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("https://localhost:" + port + "/api/v1/keys/" + path))
                    .timeout(timeout)
                    .GET()
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
