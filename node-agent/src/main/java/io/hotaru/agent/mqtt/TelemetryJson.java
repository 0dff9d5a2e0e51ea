package io.hotaru.agent.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/** The JSON payloads the node publishes; docs/mqtt.md shows each with an example. */
public final class TelemetryJson {

    /** Schema version carried as {@code "v"} in every payload. */
    public static final int VERSION = 1;

    static final ObjectMapper MAPPER = new ObjectMapper();

    private TelemetryJson() {}

    /** The retained status while the node runs. */
    public static byte[] status(
            String node, NodeStatus status, Collection<String> alarms, long telemetryLost, Instant now) {
        ObjectNode o = header(node, now);
        o.put("state", "online");
        ObjectNode links = o.putObject("links");
        new TreeMap<>(status.links()).forEach((k, v) -> links.put(k, v.name()));
        var a = o.putArray("alarms");
        alarms.stream().sorted().forEach(a::add);
        o.put("audit_head", status.auditHead());
        o.put("audit_records", status.auditRecords());
        o.put("telemetry_lost_total", telemetryLost);
        return bytes(o);
    }

    /** An event the node reports once ({@code event/<kind>}), e.g. a finished satellite pass. */
    public static byte[] event(String node, String kind, Map<String, Object> fields, Instant now) {
        ObjectNode o = header(node, now);
        o.put("kind", kind);
        fields.forEach((k, v) -> o.set(k, MAPPER.valueToTree(v)));
        return bytes(o);
    }

    /** The will and the status on a clean shutdown: retained, so a late subscriber sees the node is gone. */
    public static byte[] offline(String node) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", VERSION);
        o.put("node", node);
        o.put("state", "offline");
        return bytes(o);
    }

    public static byte[] telemetry(String node, LinkTelemetry t, long seq) {
        ObjectNode o = header(node, t.at());
        o.put("seq", seq);
        o.put("link", t.link());
        o.put("state", t.state().name());
        o.put("block", t.block());
        number(o, "qber", t.qber());
        doubles(o.putObject("qber_by_intensity"), t.qberByIntensity());
        doubles(o.putObject("gain_by_intensity"), t.gainByIntensity());
        number(o, "sifted_bps", t.siftedBitsPerSecond());
        number(o, "secret_bps", t.secretBitsPerSecond());
        ObjectNode counts = o.putObject("detector_counts");
        new TreeMap<>(t.detectorCounts()).forEach(counts::put);
        o.put("data_lost_total", t.dataLostTotal());
        o.put("key_pool_bits", t.keyPoolBits());
        o.put("auth_pool_bits", t.authPoolBits());
        number(o, "sync_offset_ns", t.syncOffsetNanos());
        number(o, "drift_ppm", t.driftPpm());
        if (t.polarisation().isEmpty()) {
            o.putNull("polarisation");
        } else {
            doubles(o.putObject("polarisation"), t.polarisation());
        }
        number(o, "receiver_idle", t.receiverIdle());
        return bytes(o);
    }

    /** The retained payload of {@code alarm/<kind>} while at least one link has it. */
    public static byte[] alarm(String node, String kind, Collection<Alarm> active, Instant now) {
        ObjectNode o = header(node, now);
        o.put("kind", kind);
        Severity worst = active.stream()
                .map(Alarm::severity)
                .max(Comparator.naturalOrder())
                .orElse(Severity.WARNING);
        o.put("severity", worst.wire());
        o.put("active", true);
        ObjectNode links = o.putObject("links");
        active.stream().sorted(Comparator.comparing(Alarm::link)).forEach(a -> {
            ObjectNode l = links.putObject(a.link());
            l.put("severity", a.severity().wire());
            l.put("since", a.since().toString());
            l.put("message", a.message());
        });
        return bytes(o);
    }

    /** {@code event/telemetry_gap}: telemetry was dropped while the broker could not be reached. */
    public static byte[] telemetryGap(String node, long lost, Instant from, Instant to, Instant now) {
        ObjectNode o = header(node, now);
        o.put("kind", "telemetry_gap");
        o.put("lost", lost);
        o.put("from", from.toString());
        o.put("to", to.toString());
        return bytes(o);
    }

    private static ObjectNode header(String node, Instant ts) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", VERSION);
        o.put("node", node);
        o.put("ts", ts.toString());
        return o;
    }

    private static void doubles(ObjectNode target, Map<String, Double> values) {
        new TreeMap<>(values).forEach((k, v) -> number(target, k, v == null ? Double.NaN : v));
    }

    private static void number(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }

    static byte[] bytes(ObjectNode o) {
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
