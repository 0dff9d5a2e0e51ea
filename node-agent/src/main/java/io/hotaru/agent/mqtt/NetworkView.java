package io.hotaru.agent.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code ./hotaru status} learned from the broker: per node its last status, alarms and link
 * telemetry. Feed it every message of {@code hotaru/v1/+/status}, {@code .../alarm/#} and {@code
 * .../telemetry/#}; anything unparsable is counted and ignored.
 */
public final class NetworkView {

    private static final class NodeView {
        JsonNode status;
        final Map<String, JsonNode> alarms = new TreeMap<>();
        final Map<String, JsonNode> telemetry = new TreeMap<>();
    }

    private final Map<String, NodeView> nodes = new TreeMap<>();
    private long ignored;

    /** Takes one message. Thread-safe. */
    public synchronized void accept(String topic, byte[] payload) {
        String[] t = topic.split("/", -1);
        if (t.length < 4 || !t[0].equals("hotaru") || !t[1].equals("v1") || !Topics.isLevel(t[2])) {
            ignored++;
            return;
        }
        NodeView n = nodes.computeIfAbsent(t[2], k -> new NodeView());
        if (t.length == 5 && t[3].equals("alarm") && payload.length == 0) {
            n.alarms.remove(t[4]); // cleared
            return;
        }
        JsonNode json;
        try {
            json = TelemetryJson.MAPPER.readTree(payload);
        } catch (IOException e) {
            ignored++;
            return;
        }
        if (json == null || !json.isObject()) {
            ignored++;
        } else if (t.length == 4 && t[3].equals("status")) {
            n.status = json;
        } else if (t.length == 5 && t[3].equals("alarm")) {
            n.alarms.put(t[4], json);
        } else if (t.length == 5 && t[3].equals("telemetry")) {
            n.telemetry.put(t[4], json);
        } else {
            ignored++;
        }
    }

    public synchronized int nodes() {
        return nodes.size();
    }

    public synchronized long ignored() {
        return ignored;
    }

    /** One JSON object: {@code {"nodes":{"A":{"status":..,"alarms":{..},"telemetry":{..}}}}}. */
    public synchronized ObjectNode toJson() {
        ObjectNode root = TelemetryJson.MAPPER.createObjectNode();
        ObjectNode all = root.putObject("nodes");
        nodes.forEach((id, n) -> {
            ObjectNode o = all.putObject(id);
            o.set("status", n.status);
            ObjectNode alarms = o.putObject("alarms");
            n.alarms.forEach(alarms::set);
            ObjectNode telemetry = o.putObject("telemetry");
            n.telemetry.forEach(telemetry::set);
        });
        return root;
    }

    /** A human-readable table, one block per node. */
    public synchronized void print(PrintWriter out) {
        if (nodes.isEmpty()) {
            out.println("no node has published a status on this broker");
            return;
        }
        nodes.forEach((id, n) -> {
            String state = n.status == null ? "unknown" : n.status.path("state").asText("unknown");
            out.printf("node %s: %s", id, state);
            if (n.status != null && n.status.has("ts")) {
                out.printf(" (as of %s)", n.status.path("ts").asText());
            }
            out.println();
            Map<String, String> links = new TreeMap<>();
            if (n.status != null) {
                n.status
                        .path("links")
                        .properties()
                        .forEach(e -> links.put(e.getKey(), e.getValue().asText()));
            }
            n.telemetry
                    .keySet()
                    .forEach(l -> links.putIfAbsent(
                            l, n.telemetry.get(l).path("state").asText("?")));
            links.forEach((link, linkState) -> {
                JsonNode t = n.telemetry.get(link);
                out.printf("  link %-12s %-8s", link, linkState);
                if (t != null) {
                    out.printf(
                            " qber %s  sifted %s bit/s  secret %s bit/s  pool %s bits  sync %s ns",
                            number(t, "qber"),
                            number(t, "sifted_bps"),
                            number(t, "secret_bps"),
                            number(t, "key_pool_bits"),
                            number(t, "sync_offset_ns"));
                    if (t.path("receiver_idle").isNumber()) {
                        // the receiver's headroom: near 0 when it cannot keep up with its link
                        out.printf(
                                java.util.Locale.ROOT,
                                "  idle %.0f%%",
                                100 * t.path("receiver_idle").asDouble());
                    }
                }
                out.println();
            });
            if (n.alarms.isEmpty()) {
                out.println("  alarms: none");
            }
            n.alarms.forEach((kind, a) -> {
                StringBuilder affected = new StringBuilder();
                a.path("links")
                        .properties()
                        .forEach(e -> affected.append(affected.length() == 0 ? "" : ",")
                                .append(e.getKey()));
                out.printf(
                        "  ALARM %-12s %-8s links %s%n",
                        kind, a.path("severity").asText("?"), affected);
            });
            if (n.status != null && n.status.has("audit_head")) {
                out.printf(
                        "  audit head %s (%d records)%n",
                        n.status.path("audit_head").asText(),
                        n.status.path("audit_records").asLong());
            }
        });
        out.flush();
    }

    private static String number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return "-";
        }
        double d = v.asDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString((long) d)
                : String.format(java.util.Locale.ROOT, "%.4g", d);
    }
}
