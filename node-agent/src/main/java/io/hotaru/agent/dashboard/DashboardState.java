package io.hotaru.agent.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotaru.agent.mqtt.Topics;
import io.hotaru.agent.topology.SatelliteLink;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the dashboard shows, built from the network's MQTT messages (docs/mqtt.md) and the nodes'
 * audit logs: per node its status, per link its latest figures and time series, the active alarms,
 * the audit tail and the satellite passes. Listeners get the whole state first ({@code snapshot}),
 * then every change as a small event, under one lock, so a listener never misses or reorders one.
 *
 * <p>Only nodes and links of the topology are shown; other messages are counted and ignored. Each
 * link's series takes the telemetry of one end (its transmitter's, else the first end heard), so
 * that the two ends' reports of the same blocks are not plotted twice.
 */
public final class DashboardState {

    /** Audit records kept for the tail. */
    static final int AUDIT_TAIL = 40;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topology topology;
    private final RunClock clock;
    private final Map<String, Topology.LinkEnds> links = new LinkedHashMap<>();
    private final Map<String, ObjectNode> nodeStatus = new TreeMap<>();
    private final Map<String, ObjectNode> linkLatest = new TreeMap<>();
    private final Map<String, String> reporter = new TreeMap<>();
    /** Per link, the receiver's last {@code receiver_idle}: its end may not be the one plotted. */
    private final Map<String, Double> receiverIdle = new TreeMap<>();

    private final Map<String, LinkSeries> series = new TreeMap<>();
    private final Map<String, ObjectNode> alarms = new TreeMap<>();
    private final ArrayDeque<ObjectNode> audit = new ArrayDeque<>();
    private final Map<String, SatelliteTrack> tracks = new LinkedHashMap<>();
    private final List<DashboardEvents> listeners = new CopyOnWriteArrayList<>();
    private long ignored;

    /**
     * @param topology the network shown
     * @param clock how the run's simulated time maps to the wall clock (for satellite passes)
     * @param horizon how much wall-clock time of the run to predict satellite passes for
     */
    public DashboardState(Topology topology, RunClock clock, Duration horizon) {
        this.topology = topology;
        this.clock = clock;
        topology.links().forEach(l -> links.put(l.id(), l));
        for (SatelliteLink l : topology.satelliteLinks()) {
            tracks.put(l.id(), SatelliteTrack.of(l, clock, horizon));
        }
    }

    public Topology topology() {
        return topology;
    }

    /** Takes one MQTT message of {@code hotaru/v1/#}. Thread-safe. */
    public synchronized void accept(String topic, byte[] payload) {
        String[] t = topic.split("/", -1);
        if (t.length < 4
                || !topic.startsWith(Topics.ROOT + "/")
                || topology.node(t[2]).isEmpty()) {
            ignored++;
            return;
        }
        String node = t[2];
        if (t.length == 5 && t[3].equals("alarm")) {
            alarm(node, t[4], payload);
            return;
        }
        JsonNode json = parse(payload);
        if (json == null) {
            ignored++;
        } else if (t.length == 4 && t[3].equals("status")) {
            status(node, json);
        } else if (t.length == 5 && t[3].equals("telemetry") && links.containsKey(t[4])) {
            telemetry(node, t[4], json);
        } else {
            ignored++;
        }
    }

    /** Adds records of a node's audit log (oldest first) to the tail. Thread-safe. */
    public synchronized void addAudit(String node, List<ObjectNode> records) {
        if (records.isEmpty()) {
            return;
        }
        ArrayNode added = JSON.createArrayNode();
        for (ObjectNode r : records) {
            ObjectNode e = r.deepCopy();
            e.put("node", node);
            audit.addLast(e);
            if (audit.size() > AUDIT_TAIL) {
                audit.removeFirst();
            }
            added.add(e);
        }
        ObjectNode event = JSON.createObjectNode();
        event.set("records", added);
        emit("audit", event);
    }

    /**
     * Registers a listener and hands it the whole state at once as {@code snapshot}; returns what
     * removes it.
     */
    public synchronized Runnable subscribe(DashboardEvents listener) {
        listener.event("snapshot", snapshot());
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Messages not shown: unknown nodes or links, unparsable payloads. */
    public synchronized long ignored() {
        return ignored;
    }

    /** Points in a link's series. */
    public synchronized int points(String link) {
        LinkSeries s = series.get(link);
        return s == null ? 0 : s.size();
    }

    /** The whole state as served on {@code /api/state} and sent first on the event stream. */
    public synchronized ObjectNode snapshot() {
        ObjectNode root = JSON.createObjectNode();
        root.set("topology", topologyJson());
        ObjectNode c = root.putObject("clock");
        c.put("sim_start", clock.simStart().toString());
        c.put("wall_start", clock.wallStart().toEpochMilli());
        c.put("time_scale", clock.timeScale());
        ObjectNode nodes = root.putObject("nodes");
        nodeStatus.forEach(nodes::set);
        ObjectNode latest = root.putObject("links");
        linkLatest.forEach(latest::set);
        ObjectNode s = root.putObject("series");
        series.forEach((k, v) -> s.set(k, v.toJson()));
        ObjectNode a = root.putObject("alarms");
        alarms.forEach(a::set);
        ArrayNode tail = root.putArray("audit");
        audit.forEach(tail::add);
        ObjectNode sat = root.putObject("satellite");
        tracks.forEach((k, v) -> sat.set(k, v.toJson()));
        return root;
    }

    private ObjectNode topologyJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", topology.name());
        ArrayNode nodes = o.putArray("nodes");
        for (TopologyNode n : topology.nodes()) {
            ObjectNode j = nodes.addObject();
            j.put("id", n.id());
            j.put("kind", n.kind().wire());
            if (n.hasPosition()) {
                j.put("lat", n.latitudeDeg());
                j.put("lon", n.longitudeDeg());
            }
        }
        ArrayNode ls = o.putArray("links");
        links.values().forEach(l -> {
            ObjectNode j = ls.addObject();
            j.put("id", l.id());
            j.put("a", l.a());
            j.put("b", l.b());
            j.put("satellite", l.satellite());
        });
        topology.fibreLinks().forEach(f -> {
            for (JsonNode j : ls) {
                if (j.path("id").asText().equals(f.id())) {
                    ((ObjectNode) j).put("length_km", f.lengthKm());
                }
            }
        });
        return o;
    }

    private void status(String node, JsonNode json) {
        ObjectNode s = JSON.createObjectNode();
        s.put("state", json.path("state").asText("unknown"));
        copy(json, s, "ts", "links", "alarms", "audit_head", "audit_records");
        nodeStatus.put(node, s);
        ObjectNode event = JSON.createObjectNode();
        event.put("node", node);
        event.set("status", s);
        emit("status", event);
    }

    private void telemetry(String node, String link, JsonNode json) {
        Topology.LinkEnds ends = links.get(link);
        if (!node.equals(ends.a()) && !node.equals(ends.b())) {
            ignored++;
            return;
        }
        double idle = number(json, "receiver_idle");
        if (!Double.isNaN(idle)) {
            receiverIdle.put(link, idle); // the receiver's headroom, whichever end is plotted
        }
        String current = reporter.get(link);
        if (current == null || (!current.equals(node) && node.equals(ends.a()))) {
            reporter.put(link, node);
        } else if (!current.equals(node)) {
            return; // the other end's report of the same blocks
        }
        long at;
        try {
            at = Instant.parse(json.path("ts").asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            ignored++;
            return;
        }
        double qber = number(json, "qber");
        double secret = number(json, "secret_bps");
        double pool = number(json, "key_pool_bits");
        double[] point = {at, qber, secret, pool};
        series.computeIfAbsent(link, k -> new LinkSeries()).add(at, qber, secret, pool);
        ObjectNode latest = JSON.createObjectNode();
        latest.put("node", node);
        latest.put("state", json.path("state").asText("UNKNOWN"));
        copy(json, latest, "ts", "block", "qber", "secret_bps", "sifted_bps", "key_pool_bits");
        Double headroom = receiverIdle.get(link);
        if (headroom != null) {
            latest.put("receiver_idle", headroom);
        }
        linkLatest.put(link, latest);
        ObjectNode event = JSON.createObjectNode();
        event.put("link", link);
        event.set("latest", latest);
        event.set("point", LinkSeries.point(point));
        emit("telemetry", event);
        SatelliteTrack track = tracks.get(link);
        if (track != null && track.addTelemetry(at, secret)) {
            ObjectNode pass = JSON.createObjectNode();
            pass.put("link", link);
            pass.set("track", track.toJson());
            emit("pass", pass);
        }
    }

    private void alarm(String node, String kind, byte[] payload) {
        String key = node + "/" + kind;
        ObjectNode event = JSON.createObjectNode();
        event.put("key", key);
        if (payload.length == 0) {
            if (alarms.remove(key) == null) {
                return;
            }
            event.put("active", false);
            emit("alarm", event);
            return;
        }
        JsonNode json = parse(payload);
        if (json == null) {
            ignored++;
            return;
        }
        ObjectNode a = JSON.createObjectNode();
        a.put("node", node);
        a.put("kind", kind);
        a.put("severity", json.path("severity").asText("warning"));
        copy(json, a, "ts", "links");
        alarms.put(key, a);
        event.put("active", true);
        event.set("alarm", a);
        emit("alarm", event);
    }

    private void emit(String name, ObjectNode data) {
        for (DashboardEvents l : listeners) {
            l.event(name, data);
        }
    }

    private static JsonNode parse(byte[] payload) {
        try {
            JsonNode json = JSON.readTree(payload);
            return json != null && json.isObject() ? json : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String f : Set.of(fields)) {
            JsonNode v = from.get(f);
            if (v != null) {
                to.set(f, v.deepCopy());
            }
        }
    }

    private static double number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
