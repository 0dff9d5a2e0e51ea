package io.hotaru.agent.mqtt;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** An operator's MQTT 5 client for tests: records every message it receives. */
final class TestClient implements AutoCloseable {

    record Received(String topic, byte[] payload, boolean retained, byte[] correlation) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final MqttAsyncClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> filters = new ArrayList<>();

    TestClient(URI broker) throws Exception {
        client = new MqttAsyncClient(broker.toString(), "test-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {}

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {}

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                MqttProperties p = m.getProperties();
                received.add(
                        new Received(topic, m.getPayload(), m.isRetained(), p == null ? null : p.getCorrelationData()));
            }

            @Override
            public void deliveryComplete(IMqttToken t) {}

            @Override
            public void connectComplete(boolean reconnect, String uri) {}

            @Override
            public void authPacketArrived(int code, MqttProperties p) {}
        });
        connect();
    }

    void connect() throws Exception {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(5);
        client.connect(o).waitForCompletion(5_000);
        for (String f : filters) {
            client.subscribe(new MqttSubscription(f, 1)).waitForCompletion(5_000);
        }
    }

    /** Tries to connect until it works (after a broker restart). */
    void reconnect(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (!client.isConnected()) {
                    connect();
                }
                return;
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    boolean isConnected() {
        return client.isConnected();
    }

    void subscribe(String filter) throws Exception {
        filters.add(filter);
        client.subscribe(new MqttSubscription(filter, 1)).waitForCompletion(5_000);
    }

    void publish(String topic, byte[] payload, String responseTopic, byte[] correlation) throws Exception {
        MqttProperties p = new MqttProperties();
        if (responseTopic != null) {
            p.setResponseTopic(responseTopic);
        }
        if (correlation != null) {
            p.setCorrelationData(correlation);
        }
        client.publish(topic, new MqttMessage(payload, 1, false, p)).waitForCompletion(5_000);
    }

    List<Received> received() {
        return received;
    }

    List<Received> matching(Predicate<Received> p) {
        return received.stream().filter(p).toList();
    }

    void clear() {
        received.clear();
    }

    /** Drops the TCP connection without a DISCONNECT packet. */
    void kill() throws Exception {
        client.disconnectForcibly(0, 100, false);
    }

    @Override
    public void close() throws Exception {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2_000);
            }
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            // broker gone
        }
        client.close(true);
    }
}
