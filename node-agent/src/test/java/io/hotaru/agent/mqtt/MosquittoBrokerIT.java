package io.hotaru.agent.mqtt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The MQTT contract against a real Eclipse Mosquitto (the Debian package; .ci/run installs it).
 * Skipped, saying so, where the binary is missing.
 */
class MosquittoBrokerIT extends BrokerContract {

    private static MosquittoBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        assumeTrue(MosquittoBroker.available(), "mosquitto is not installed (apt-get install mosquitto); skipping");
        broker = MosquittoBroker.start(Files.createTempDirectory("hotaru-mosquitto"));
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
        broker.kill();
        broker.startProcess();
    }
}
