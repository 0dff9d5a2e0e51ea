package io.hotaru.agent.mqtt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * The daemon on a real Eclipse Mosquitto (the Debian package; .ci/run installs it), restarted
 * mid-run. Skipped, saying so, where the binary is missing.
 */
class NodeDaemonMosquittoIT extends NodeDaemonMqttContract {

    private MosquittoBroker broker;

    @Override
    Brokers brokers(Path dir) throws Exception {
        assumeTrue(MosquittoBroker.available(), "mosquitto is not installed (apt-get install mosquitto); skipping");
        broker = MosquittoBroker.start(Files.createTempDirectory("hotaru-mosquitto"));
        Path senders = senders(dir);
        return new Brokers(external(broker.uri(), senders), external(broker.uri(), senders), broker.uri());
    }

    @Override
    boolean restartBroker() {
        broker.kill();
        broker.startProcess();
        return true;
    }

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }
}
