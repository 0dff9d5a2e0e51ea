package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.audit.AuditVerifier;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node processes ({@code hotaru node --config ...}) on one machine over a simulated 25 km link:
 * they find each other over the mutually authenticated peer channel, distil keys, and serve the
 * same key over ETSI GS QKD 014 (enc_keys at A, dec_keys at B, the reservation synchronised between
 * the processes); SIGTERM stops both cleanly with exit code 0.
 */
class TwoNodeProcessesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration KEYS_WITHIN = Duration.ofSeconds(180);
    private static final String SIM = "link=A-B&seed=42&params=metro&distance_km=25&time_scale=4";

    @TempDir
    Path dir;

    private Process nodeA;
    private Process nodeB;

    @AfterEach
    void killLeftovers() {
        for (Process p : new Process[] {nodeA, nodeB}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void twoProcessesDistilAndServeTheSameKey() throws Exception {
        PkiFiles pki = Pki.create(dir.resolve("pki"), List.of("kme-a", "kme-b"), List.of("sae-a", "sae-b"));
        byte[] secret = new byte[64 * 1024];
        new SecureRandom().nextBytes(secret);
        Path bootstrap = dir.resolve("auth-bootstrap.key");
        Files.write(bootstrap, secret);
        java.util.Arrays.fill(secret, (byte) 0);
        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rw-------"));
        int etsiA = freePort();
        int etsiB = freePort();
        int peerPort = freePort();
        Path configA = write("node-a.yaml", config("a", "kme-a", etsiA, """
                    role: transmitter
                    listen: 127.0.0.1:%d
                    devices:
                      source: "sim:alice?%s"
                      qrng: "sim:qrng?seed=7"
                """.formatted(peerPort, SIM), "kme-b", etsiB));
        Path configB = write("node-b.yaml", config("b", "kme-b", etsiB, """
                    role: receiver
                    connect: 127.0.0.1:%d
                    devices:
                      tagger: "sim:bob?%s"
                    protocol:
                      repetition_rate_hz: 1.0e+8
                      intensities: [0.4, 0.15, 0.0]
                      probabilities: [0.4, 0.3, 0.3]
                      z_basis_probability: 0.3
                """.formatted(peerPort, SIM), "kme-a", etsiA));

        // B first: it dials A, which is not up yet, and must retry until it is.
        nodeB = launch(configB, "b");
        Thread.sleep(1000);
        nodeA = launch(configA, "a");

        SaeClient saeA = new SaeClient(pki, "sae-a");
        SaeClient saeB = new SaeClient(pki, "sae-b");
        long deadline = System.nanoTime() + KEYS_WITHIN.toNanos();
        while (!(storedKeys(saeA, etsiA, "sae-b") > 0 && storedKeys(saeB, etsiB, "sae-a") > 0)) {
            assertThat(System.nanoTime())
                    .as(diagnostics("no keys within " + KEYS_WITHIN))
                    .isLessThan(deadline);
            assertThat(nodeA.isAlive() && nodeB.isAlive())
                    .as(diagnostics("a node died"))
                    .isTrue();
            Thread.sleep(500);
        }

        // B may still be storing the block A reserves from: the reservation sync answers 503 then.
        HttpResponse<String> enc;
        int attempts = 0;
        do {
            enc = saeA.get(etsiA, "/api/v1/keys/sae-b/enc_keys?number=1&size=256");
            if (enc.statusCode() != 200) {
                Thread.sleep(500);
            }
        } while (enc.statusCode() != 200 && ++attempts < 20);
        assertThat(enc.statusCode()).as(enc.body()).isEqualTo(200);
        JsonNode key = JSON.readTree(enc.body()).get("keys").get(0);
        HttpResponse<String> dec = saeB.get(
                etsiB, "/api/v1/keys/sae-a/dec_keys?key_ID=" + key.get("key_ID").asText());
        assertThat(dec.statusCode()).as(dec.body()).isEqualTo(200);
        assertThat(JSON.readTree(dec.body()).get("keys").get(0).get("key").asText())
                .isEqualTo(key.get("key").asText());

        nodeA.destroy(); // SIGTERM
        nodeB.destroy();
        assertThat(nodeA.waitFor(60, TimeUnit.SECONDS))
                .as(diagnostics("A did not stop"))
                .isTrue();
        assertThat(nodeB.waitFor(60, TimeUnit.SECONDS))
                .as(diagnostics("B did not stop"))
                .isTrue();
        assertThat(nodeA.exitValue()).as(diagnostics("A's exit code")).isZero();
        assertThat(nodeB.exitValue()).as(diagnostics("B's exit code")).isZero();

        for (String node : List.of("a", "b")) {
            Path audit = dir.resolve("node-" + node).resolve("audit.log");
            assertThat(AuditVerifier.verify(audit).intact()).isTrue();
            String log = Files.readString(audit);
            assertThat(log)
                    .contains("\"to\":\"KEYGEN\"")
                    .contains("\"to\":\"STOPPED\"")
                    .contains("node.stop");
        }
    }

    private static String config(String node, String kme, int etsiPort, String linkBody, String peerKme, int peerEtsi) {
        return """
                node:
                  id: node-%s
                key_store:
                  path: node-%s/keys.db
                  master_key: node-%s/master.key
                audit:
                  path: node-%s/audit.log
                mqtt:
                  broker: embedded
                  port: 0
                etsi014:
                  kme_id: %s
                  port: %d
                  pki_dir: pki
                  saes:
                    sae-a: kme-a
                    sae-b: kme-b
                  pairs:
                    - master: sae-a
                      slave: sae-b
                      link: A-B
                    - master: sae-b
                      slave: sae-a
                      link: A-B
                links:
                  - id: A-B
                %s    block_detections: 524288
                    auth_bootstrap_key: auth-bootstrap.key
                    peer_kme:
                      id: %s
                      etsi014: 127.0.0.1:%d
                """.formatted(node, node, node, node, kme, etsiPort, linkBody, peerKme, peerEtsi);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Process launch(Path config, String node) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.hotaru.agent.cli.HotaruCli",
                "node",
                "--config",
                config.toString());
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("node-" + node + ".out").toFile())
                .redirectError(dir.resolve("node-" + node + ".err").toFile())
                .start();
    }

    private String diagnostics(String what) {
        StringBuilder b = new StringBuilder(what);
        for (String f : List.of("node-a.out", "node-a.err", "node-b.out", "node-b.err")) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(f));
                b.append("\n--- ").append(f).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("\n--- ").append(f).append(": ").append(e);
            }
        }
        return b.toString();
    }

    private static long storedKeys(SaeClient sae, int port, String slave) throws InterruptedException {
        try {
            HttpResponse<String> status = sae.get(port, "/api/v1/keys/" + slave + "/status");
            if (status.statusCode() != 200) {
                return 0;
            }
            return JSON.readTree(status.body()).get("stored_key_count").asLong();
        } catch (IOException notUpYet) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
