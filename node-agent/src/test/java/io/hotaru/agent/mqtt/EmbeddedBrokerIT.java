package io.hotaru.agent.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The MQTT contract against the embedded HiveMQ CE broker (one broker for the whole class). */
class EmbeddedBrokerIT extends BrokerContract {

    private static Path dir;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("hotaru-hivemq");
        broker = EmbeddedBroker.start(dir, 0);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    MqttBroker broker() {
        return broker;
    }

    @Override
    void restartBroker() {
        int port = broker.port();
        broker.close();
        broker = EmbeddedBroker.start(dir, port);
    }
}
