package io.hotaru.agent.mqtt;

import java.net.URI;

/**
 * Where the node's MQTT client connects: an {@link EmbeddedBroker} started by this process, or an
 * {@link ExternalBroker} (Mosquitto, a broker cluster) that runs elsewhere.
 */
public interface MqttBroker extends AutoCloseable {

    /** The client URI, e.g. {@code tcp://127.0.0.1:1883}. */
    URI uri();

    /** Stops the broker if this process started it; does nothing for an external one. */
    @Override
    void close();
}
