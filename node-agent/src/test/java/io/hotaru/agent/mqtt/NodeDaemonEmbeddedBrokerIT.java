package io.hotaru.agent.mqtt;

import io.hotaru.agent.node.NodePair;
import java.net.URI;
import java.nio.file.Path;

/** The daemon on its own embedded broker (node A's); node B connects to it as an external broker. */
class NodeDaemonEmbeddedBrokerIT extends NodeDaemonMqttContract {

    @Override
    Brokers brokers(Path dir) throws Exception {
        int port = NodePair.freePort();
        URI uri = URI.create("tcp://127.0.0.1:" + port);
        Path senders = senders(dir);
        return new Brokers(embedded(port, senders), external(uri, senders), uri);
    }

    @Override
    boolean restartBroker() {
        return false; // the broker lives inside node A
    }
}
