package io.hotaru.agent.mqtt;

import io.hotaru.keys.store.DeliveredKey;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.Reservation;
import io.hotaru.reliability.figures.ResidueScan;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The telemetry capture of a reliability campaign: every MQTT message the nodes publish under
 * {@code hotaru/v1/#} while the campaign runs, kept for the residue scan at its end, which takes the
 * keys the nodes' stores hold as the canary and looks for them, raw or as text, in each message.
 */
public final class TelemetryCapture implements AutoCloseable {
    /** At most 2,048 keys of each store as the canary. */
    private static final int MAX_KEYS_PER_STORE = 2048;

    private final TestClient client;

    public TelemetryCapture(URI broker) throws Exception {
        client = new TestClient(broker);
        client.subscribe("hotaru/v1/#");
    }

    /** Messages captured so far. */
    public int messages() {
        return client.received().size();
    }

    /**
     * Takes up to {@value #MAX_KEYS_PER_STORE} available keys of {@code linkId} out of each store
     * (node homes holding {@code keys.db} and {@code master.key}, closed by their nodes) and returns
     * one line per captured message holding any of them. The stores' keys are consumed: call it last.
     */
    public List<String> scanForKeysOf(String linkId, List<Path> nodeHomes) throws Exception {
        ByteArrayOutputStream canary = new ByteArrayOutputStream();
        for (Path home : nodeHomes) {
            try (KeyStore store =
                    KeyStore.open(home.resolve("keys.db"), MasterKey.loadOrCreate(home.resolve("master.key")))) {
                int taken = 0;
                long available;
                while ((available = store.availableCount(linkId)) > 0 && taken < MAX_KEYS_PER_STORE) {
                    int number = (int) Math.min(available, 64);
                    try (Reservation r = store.reserve(linkId, number, 256, "sae-a", List.of(), List.of("sae-b"))) {
                        for (DeliveredKey key : r.keys().keys()) {
                            canary.write(key.material());
                        }
                    }
                    taken += number;
                }
            }
        }
        byte[] material = canary.toByteArray();
        if (material.length == 0) {
            throw new IllegalStateException("no key held in " + nodeHomes + " to look for in the telemetry");
        }
        ResidueScan scan = new ResidueScan(material, KeyStore.KEY_BYTES);
        Arrays.fill(material, (byte) 0);
        List<String> hits = new ArrayList<>();
        for (TestClient.Received message : client.received()) {
            String found = scan.find(message.payload());
            if (!found.isEmpty()) {
                hits.add(message.topic() + ": " + found);
            }
        }
        return hits;
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
