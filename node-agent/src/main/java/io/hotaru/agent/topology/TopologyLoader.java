package io.hotaru.agent.topology;

import io.hotaru.agent.mqtt.Topics;
import io.hotaru.sim.orbit.GroundStation;
import io.hotaru.sim.orbit.Tle;
import io.hotaru.sim.orbit.TleFormatException;
import io.hotaru.sim.orbit.TleReader;
import io.hotaru.sim.orbit.UtcTime;
import io.hotaru.sim.params.ParameterSets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a topology YAML file (docs/topology.md) once, validates it whole and returns an immutable
 * {@link Topology}. Every refusal is a {@link TopologyException} naming the file, the line and the
 * reason: an unknown key, a duplicate id, a link to an unknown node or of the wrong kind of node, a
 * length that is not positive, an unusable TLE.
 */
public final class TopologyLoader {

    /** The classpath resource of the default topology, shaped like the Tokyo QKD Network. */
    public static final String DEFAULT_RESOURCE = "/io/hotaru/agent/topology/tokyo.yaml";

    static final long MAX_BYTES = 1 << 20;

    private static final Set<String> ROOT_KEYS = Set.of("name", "start", "nodes", "fibre_links", "satellite_links");
    private static final Set<String> NODE_KEYS = Set.of("id", "kind", "etsi_port_offset", "lat", "lon");
    private static final Set<String> FIBRE_KEYS =
            Set.of("id", "a", "b", "length_km", "loss_db_per_km", "parameter_set");
    private static final Set<String> SATELLITE_KEYS = Set.of(
            "id",
            "satellite",
            "station",
            "tle",
            "station_lat",
            "station_lon",
            "station_alt_m",
            "min_elevation_deg",
            "parameter_set");

    private TopologyLoader() {}

    /** Reads {@code file}; an unreadable, oversized or invalid file is a {@link TopologyException}. */
    public static Topology load(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new TopologyException(file.toString(), 0, "larger than 1 MiB; not a topology");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TopologyException(file.toString(), 0, "no such file");
        } catch (IOException e) {
            throw new TopologyException(file.toString(), 0, "cannot read: " + e.getMessage());
        }
        return parse(file.toString(), bytes);
    }

    /** The default topology shipped in the jar. */
    public static Topology loadDefault() {
        try (InputStream in = TopologyLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + DEFAULT_RESOURCE);
            }
            return parse("tokyo.yaml (built in)", in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    /** Parses a topology; {@code source} names it in error messages. */
    public static Topology parse(String source, byte[] yaml) {
        YamlDocument doc = YamlDocument.parse(source, yaml);
        YamlMapping root = new YamlMapping(doc, doc.root(), "");
        root.onlyKeys(ROOT_KEYS);
        String name = root.textOr("name", "unnamed");
        UtcTime start;
        try {
            start = UtcTime.parse(root.text("start"));
        } catch (IllegalArgumentException e) {
            throw root.error("start", e.getMessage());
        }

        Map<String, TopologyNode> nodes = new HashMap<>();
        Map<String, String> nodePaths = new HashMap<>();
        Map<Integer, String> ports = new HashMap<>();
        List<TopologyNode> nodeList = new ArrayList<>();
        for (YamlMapping m : root.mappings("nodes")) {
            TopologyNode n = node(m);
            String earlier = nodePaths.putIfAbsent(n.id(), m.path());
            if (earlier != null) {
                throw m.error("id", "duplicate node id '" + n.id() + "' (first at line " + doc.lineOf(earlier) + ")");
            }
            String samePort = ports.putIfAbsent(n.etsiPortOffset(), m.path());
            if (samePort != null) {
                throw m.error(
                        "etsi_port_offset",
                        "duplicate ETSI port offset " + n.etsiPortOffset() + " (also at line " + doc.lineOf(samePort)
                                + "); give every node its own");
            }
            nodes.put(n.id(), n);
            nodeList.add(n);
        }
        if (nodeList.isEmpty()) {
            throw root.error(null, "a topology needs at least one node under 'nodes'");
        }

        Map<String, String> linkPaths = new HashMap<>();
        List<FibreLink> fibre = new ArrayList<>();
        for (YamlMapping m : root.mappings("fibre_links")) {
            FibreLink l = fibreLink(m, nodes);
            uniqueLink(doc, m, l.id(), linkPaths);
            fibre.add(l);
        }
        List<SatelliteLink> satellite = new ArrayList<>();
        for (YamlMapping m : root.mappings("satellite_links")) {
            SatelliteLink l = satelliteLink(m, nodes);
            uniqueLink(doc, m, l.id(), linkPaths);
            satellite.add(l);
        }
        return new Topology(name, start, nodeList, fibre, satellite);
    }

    private static TopologyNode node(YamlMapping m) {
        m.onlyKeys(NODE_KEYS);
        String id = id(m, "id");
        NodeKind kind = kind(m);
        int offset = m.integer("etsi_port_offset", 0, 1000);
        if (m.has("lat") != m.has("lon")) {
            throw m.error(m.has("lat") ? "lat" : "lon", "give both lat and lon, or neither");
        }
        double lat = m.numberOr("lat", -90, 90, Double.NaN);
        double lon = m.numberOr("lon", -180, 180, Double.NaN);
        return new TopologyNode(id, kind, offset, lat, lon);
    }

    private static NodeKind kind(YamlMapping m) {
        String s = m.text("kind");
        for (NodeKind k : NodeKind.values()) {
            if (k.wire().equals(s)) {
                return k;
            }
        }
        List<String> names = new ArrayList<>();
        for (NodeKind k : NodeKind.values()) {
            names.add(k.wire());
        }
        throw m.error("kind", "'" + s + "' is not one of " + String.join(", ", names));
    }

    private static FibreLink fibreLink(YamlMapping m, Map<String, TopologyNode> nodes) {
        m.onlyKeys(FIBRE_KEYS);
        String id = id(m, "id");
        TopologyNode a = end(m, "a", nodes);
        TopologyNode b = end(m, "b", nodes);
        if (a.id().equals(b.id())) {
            throw m.error("b", "a link needs two different nodes, both ends are '" + a.id() + "'");
        }
        for (TopologyNode n : List.of(a, b)) {
            if (n.kind() == NodeKind.SATELLITE) {
                throw m.error(
                        n == a ? "a" : "b",
                        "'" + n.id() + "' is a satellite; put it in satellite_links, not fibre_links");
            }
        }
        double length = positive(m, "length_km", 1000);
        double loss = positive(m, "loss_db_per_km", 10);
        return new FibreLink(id, a.id(), b.id(), length, loss, parameterSet(m));
    }

    private static SatelliteLink satelliteLink(YamlMapping m, Map<String, TopologyNode> nodes) {
        m.onlyKeys(SATELLITE_KEYS);
        String id = id(m, "id");
        TopologyNode sat = end(m, "satellite", nodes);
        if (sat.kind() != NodeKind.SATELLITE) {
            throw m.error("satellite", "'" + sat.id() + "' is a " + sat.kind().wire() + " node, not a satellite");
        }
        TopologyNode station = end(m, "station", nodes);
        if (station.kind() != NodeKind.GROUND_STATION) {
            throw m.error(
                    "station", "'" + station.id() + "' is a " + station.kind().wire() + " node, not a ground-station");
        }
        Tle tle = tle(m);
        GroundStation gs = new GroundStation(
                m.number("station_lat", -90, 90),
                m.number("station_lon", -180, 180),
                m.number("station_alt_m", -500, 9000));
        double mask = m.numberOr("min_elevation_deg", 0, 89, 10.0);
        return new SatelliteLink(id, sat.id(), station.id(), tle, gs, mask, parameterSet(m));
    }

    private static Tle tle(YamlMapping m) {
        String text = m.text("tle");
        List<Tle> tles;
        try {
            tles = TleReader.parse("tle", text);
        } catch (TleFormatException e) {
            throw m.error("tle", "not a valid TLE: " + e.getMessage());
        }
        if (tles.size() != 1) {
            throw m.error("tle", "must hold exactly one element set (name line optional), found " + tles.size());
        }
        return tles.get(0);
    }

    private static String id(YamlMapping m, String key) {
        String s = m.text(key);
        if (!Topics.isLevel(s)) {
            throw m.error(key, "'" + s + "' is not a valid id (1-64 of letters, digits, '.', '_', '-')");
        }
        return s;
    }

    private static TopologyNode end(YamlMapping m, String key, Map<String, TopologyNode> nodes) {
        String id = m.text(key);
        TopologyNode n = nodes.get(id);
        if (n == null) {
            throw m.error(key, "unknown node '" + id + "'; nodes: " + String.join(", ", new TreeSet<>(nodes.keySet())));
        }
        return n;
    }

    private static double positive(YamlMapping m, String key, double max) {
        double v = m.number(key, -Double.MAX_VALUE, Double.MAX_VALUE);
        if (!(v > 0) || v > max) {
            throw m.error(key, "must be positive and at most " + max + ", got " + v);
        }
        return v;
    }

    private static String parameterSet(YamlMapping m) {
        String s = m.text("parameter_set");
        if (!ParameterSets.NAMES.contains(s)) {
            throw m.error(
                    "parameter_set",
                    "unknown parameter set '" + s + "'; known: " + String.join(", ", ParameterSets.NAMES));
        }
        return s;
    }

    private static void uniqueLink(YamlDocument doc, YamlMapping m, String id, Map<String, String> linkPaths) {
        String earlier = linkPaths.putIfAbsent(id, m.path());
        if (earlier != null) {
            throw m.error("id", "duplicate link id '" + id + "' (first at line " + doc.lineOf(earlier) + ")");
        }
    }
}
