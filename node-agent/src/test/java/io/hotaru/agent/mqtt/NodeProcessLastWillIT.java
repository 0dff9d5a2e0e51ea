package io.hotaru.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotaru.agent.node.NodePair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last will on a killed node process: {@code hotaru node} runs as a child process against a
 * real Mosquitto, publishes its retained status "online", is killed with SIGKILL (no shutdown hook,
 * no DISCONNECT), and the broker replaces the retained status with the will, "offline", which a
 * subscriber arriving afterwards still sees. Skipped, saying so, where Mosquitto is missing.
 */
class NodeProcessLastWillIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Process node;

    @AfterEach
    void stop() {
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aKilledNodeProcessTurnsOfflineByItsLastWill() throws Exception {
        assumeTrue(MosquittoBroker.available(), "mosquitto is not installed (apt-get install mosquitto); skipping");
        broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        NodePair configs = new NodePair(dir, "link=A-B&seed=3&params=metro&distance_km=25", 1 << 16, "", "");
        node = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.hotaru.agent.cli.HotaruCli",
                        "node",
                        "--config",
                        configs.configA.toString(),
                        "--mqtt-broker",
                        broker.uri().toString()))
                .redirectOutput(dir.resolve("node-a.out").toFile())
                .redirectError(dir.resolve("node-a.err").toFile())
                .start();

        try (TestClient watcher = new TestClient(broker.uri())) {
            watcher.subscribe("hotaru/v1/node-a/status");
            try {
                await().atMost(WAIT).until(() -> lastState(watcher).contains("\"state\":\"online\""));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the node never published online; its log:\n" + log(), e);
            }

            node.destroyForcibly(); // SIGKILL: no shutdown hook runs, no DISCONNECT is sent
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).isEqualTo(137);

            await().atMost(WAIT).until(() -> lastState(watcher).contains("\"state\":\"offline\""));
        }
        // retained: a subscriber arriving now is told at once
        try (TestClient late = new TestClient(broker.uri())) {
            late.subscribe("hotaru/v1/node-a/status");
            await().atMost(WAIT).until(() -> !late.received().isEmpty());
            TestClient.Received status = late.received().get(0);
            assertThat(status.retained()).isTrue();
            assertThat(new String(status.payload(), StandardCharsets.UTF_8)).contains("\"state\":\"offline\"");
        }
    }

    private static String lastState(TestClient client) {
        List<TestClient.Received> r = client.received();
        return r.isEmpty() ? "" : new String(r.get(r.size() - 1).payload(), StandardCharsets.UTF_8);
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("node-a.out")) + Files.readString(dir.resolve("node-a.err"));
    }
}
