package io.hotaru.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telemetry residue scan finds a key that a node's store holds when it shows up, as Base64,
 * in an MQTT message, and nothing in messages without it: the scan of the link fault campaign can
 * fail.
 */
class TelemetryCaptureIT {
    @TempDir
    Path dir;

    @Test
    void aHeldKeyInAnMqttMessageIsAHit() throws Exception {
        byte[] material = new byte[4 * KeyStore.KEY_BYTES];
        new Random(11).nextBytes(material);
        Path home = dir.resolve("node-a");
        java.nio.file.Files.createDirectories(home);
        try (KeyStore store =
                KeyStore.open(home.resolve("keys.db"), MasterKey.loadOrCreate(home.resolve("master.key")))) {
            store.ingest("A-B", 1, material.clone());
        }
        byte[] third = Arrays.copyOfRange(material, 2 * KeyStore.KEY_BYTES, 3 * KeyStore.KEY_BYTES);
        EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
        try (TelemetryCapture capture = new TelemetryCapture(URI.create("tcp://127.0.0.1:" + broker.port()));
                TestClient node = new TestClient(URI.create("tcp://127.0.0.1:" + broker.port()))) {
            node.publish(
                    "hotaru/v1/node-a/telemetry/A-B", "{\"qber\":0.02}".getBytes(StandardCharsets.UTF_8), null, null);
            node.publish(
                    "hotaru/v1/node-a/status",
                    ("{\"oops\":\"" + Base64.getEncoder().encodeToString(third) + "\"}")
                            .getBytes(StandardCharsets.UTF_8),
                    null,
                    null);
            await().atMost(Duration.ofSeconds(20)).until(() -> capture.messages() == 2);

            List<String> hits = capture.scanForKeysOf("A-B", List.of(home));

            assertThat(hits).containsExactly("hotaru/v1/node-a/status: Base64 of canary unit 2 at offset 9");
        } finally {
            broker.close();
        }
    }
}
