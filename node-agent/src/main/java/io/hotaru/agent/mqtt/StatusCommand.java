package io.hotaru.agent.mqtt;

import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.cli.DurationConverter;
import io.hotaru.agent.cli.ExitCodes;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./hotaru status --broker URI [--json]}: every node's status, links and alarms, read from MQTT. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Listen to a broker for a short window and print every node's status, links and alarms"
                + " (retained status and alarms arrive at once; telemetry as the nodes publish it).")
public final class StatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--broker", required = true, paramLabel = "URI", description = "Broker, e.g. tcp://127.0.0.1:1883.")
    private String broker;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description = "How long to listen (default: ${DEFAULT-VALUE}).")
    private Duration window;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        URI uri;
        try {
            uri = ExternalBroker.parse(broker).uri();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--broker: " + e.getMessage());
        }
        NetworkView view = listen(uri, window);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(TelemetryJson.MAPPER.writeValueAsString(view.toJson()));
            out.flush();
        } else {
            view.print(out);
        }
        return ExitCodes.OK;
    }

    /** Subscribes to every node's status, alarms and telemetry for {@code window}. */
    public static NetworkView listen(URI broker, Duration window) throws InterruptedException {
        NetworkView view = new NetworkView();
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(
                    broker.toString(), "hotaru-status-" + UUID.randomUUID(), new MemoryPersistence());
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw CliFailure.runtime("cannot create an MQTT client for " + broker + ": " + e.getMessage());
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {}

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {}

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                view.accept(topic, m.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttToken t) {}

            @Override
            public void connectComplete(boolean reconnect, String uri) {}

            @Override
            public void authPacketArrived(int code, MqttProperties p) {}
        });
        try {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setConnectionTimeout(5);
            client.connect(o).waitForCompletion(6_000);
            String all = Topics.ROOT + "/+/";
            client.subscribe(new MqttSubscription[] {
                        new MqttSubscription(all + "status", 1),
                        new MqttSubscription(all + "alarm/#", 1),
                        new MqttSubscription(all + "telemetry/#", 0)
                    })
                    .waitForCompletion(5_000);
            Thread.sleep(window.toMillis());
            client.disconnect().waitForCompletion(2_000);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw CliFailure.runtime("cannot read from MQTT broker " + broker + ": " + e.getMessage());
        } finally {
            try {
                client.close(true);
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                // nothing left to release
            }
        }
        return view;
    }
}
