package io.hotaru.agent.config;

import io.hotaru.keys.distill.BobBlock;
import io.hotaru.keys.relay.RelayNode;
import io.hotaru.keys.relay.RoutePolicy;
import io.hotaru.keys.relay.codec.RelayCodec;
import io.hotaru.keys.store.StoreOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads and validates a node configuration file (YAML). The only place that knows its keys. */
public final class NodeConfigLoader {

    /** Defaults, each written once, here. */
    /**
     * Detections per block: the largest a block may be ({@link BobBlock#MAX_DETECTIONS}), since the
     * finite-key bound leaves far more key from larger blocks (on {@code fibre-1ghz} 3.6 times the
     * secret bits per second from blocks of 2²⁰ as from 2¹⁸) and a node distils them with fewer round
     * trips per detection.
     */
    public static final int DEFAULT_BLOCK_DETECTIONS = BobBlock.MAX_DETECTIONS;

    public static final String DEFAULT_RECONCILER = "original";
    public static final Duration DEFAULT_TELEMETRY_PERIOD = Duration.ofSeconds(5);
    public static final int DEFAULT_MQTT_PORT = 1883;
    public static final int DEFAULT_ETSI014_PORT = 8443;
    /** Smallest pre-shared authentication secret accepted for a link. */
    public static final int MIN_BOOTSTRAP_KEY_BYTES = 1024;

    /** Monitor thresholds used where a link's {@code monitors} section leaves them out. */
    public static final NodeConfig.Monitors DEFAULT_MONITORS =
            new NodeConfig.Monitors(0.11, 3, 3, 1000, 0.5, 100, 1e-9, 50, 0, 0.2, 5);

    /** Time sync settings where a link's {@code time_sync} section leaves them out. */
    public static final NodeConfig.TimeSync DEFAULT_TIME_SYNC =
            new NodeConfig.TimeSync(20e6, 20, Duration.ofMillis(1), Duration.ofMillis(50));

    private static final Set<String> RECONCILERS = Set.of("original");
    private static final Map<NodeConfig.Role, Set<String>> DEVICE_ROLES = Map.of(
            NodeConfig.Role.TRANSMITTER, Set.of("source", "qrng"),
            NodeConfig.Role.RECEIVER, Set.of("tagger"));
    /**
     * Devices a link may have: the transmitter's power monitor, the receiver's detectors (both for
     * the monitors) and the receiver's polarisation controller (for the polarisation loop).
     */
    private static final Map<NodeConfig.Role, Set<String>> OPTIONAL_DEVICE_ROLES = Map.of(
            NodeConfig.Role.TRANSMITTER, Set.of("monitor"),
            NodeConfig.Role.RECEIVER, Set.of("detectors", "polarisation"));

    private NodeConfigLoader() {}

    /**
     * Loads {@code file}.
     *
     * @throws ConfigException naming file, line, key and reason for the first problem found
     */
    public static NodeConfig load(Path file) {
        return load(file, YamlTree.read(file));
    }

    /** Loads {@code content} as if read from {@code file} (relative paths resolve against its folder). */
    static NodeConfig load(Path file, byte[] content) {
        return load(file, YamlTree.parse(file, content));
    }

    private static NodeConfig load(Path file, YamlTree tree) {
        Path base = file.toAbsolutePath().getParent();
        ConfigNode root =
                tree.root().onlyKeys("node", "key_store", "etsi014", "links", "mqtt", "audit", "metrics", "relay");

        ConfigNode node = root.required("node").onlyKeys("id");
        String nodeId = node.required("id").identifier();

        ConfigNode store = root.required("key_store").onlyKeys("path", "master_key", "spent_retention");
        Path keyStore = base.resolve(store.required("path").text());
        Path masterKey = base.resolve(store.required("master_key").text());
        Duration spentRetention = store.optional("spent_retention")
                .map(v -> v.duration(StoreOptions.MIN_SPENT_RETENTION, Duration.ofDays(3650)))
                .orElse(StoreOptions.DEFAULT_SPENT_RETENTION);

        Path audit = base.resolve(root.optional("audit")
                .map(a -> a.onlyKeys("path").required("path").text())
                .orElse("audit.log"));

        List<NodeConfig.Link> links = root.required("links").list(n -> link(n, base));
        Set<String> ids = new HashSet<>();
        ConfigNode linksNode = root.required("links");
        for (int i = 0; i < links.size(); i++) {
            if (!ids.add(links.get(i).id())) {
                throw new ConfigException(
                        file,
                        tree.lineOf(linksNode.path() + "[" + i + "].id"),
                        "links[" + i + "].id",
                        "duplicate link id '" + links.get(i).id() + "'");
            }
        }

        Optional<NodeConfig.Relay> relay = root.optional("relay").map(r -> relay(r, base, links));
        NodeConfig.Etsi014 etsi = etsi014(root.required("etsi014"), base, ids, relay);

        NodeConfig.Mqtt mqtt = root.optional("mqtt")
                .map(m -> mqtt(m, base))
                .orElse(new NodeConfig.Mqtt(
                        NodeConfig.Mqtt.EMBEDDED, DEFAULT_MQTT_PORT, DEFAULT_TELEMETRY_PERIOD, Optional.empty()));
        Optional<NodeConfig.Metrics> metrics = root.optional("metrics").map(NodeConfigLoader::metrics);

        return new NodeConfig(
                file, nodeId, keyStore, masterKey, spentRetention, audit, etsi, links, mqtt, metrics, relay);
    }

    private static NodeConfig.Relay relay(ConfigNode n, Path base, List<NodeConfig.Link> links) {
        n.onlyKeys("listen", "neighbours", "far_kmes", "route");
        Optional<InetSocketAddress> listen = n.optional("listen").map(NodeConfigLoader::address);
        Map<String, NodeConfig.Link> linkById = new LinkedHashMap<>();
        links.forEach(l -> linkById.put(l.id(), l));
        Map<String, String> linkOfPeer = new LinkedHashMap<>();
        List<NodeConfig.RelayNeighbour> neighbours = n.required("neighbours").list(x -> {
            x.onlyKeys("link", "connect", "auth_bootstrap_key");
            String linkId = x.required("link").identifier();
            NodeConfig.Link link = linkById.get(linkId);
            if (link == null) {
                throw x.required("link").error("no link with id '" + linkId + "' under links");
            }
            String peer = link.peerKme().kmeId();
            String before = linkOfPeer.putIfAbsent(peer, linkId);
            if (before != null) {
                throw x.required("link")
                        .error("the relay reaches " + peer + " over link '" + before + "' already; one link per"
                                + " neighbour");
            }
            Optional<InetSocketAddress> connect = x.optional("connect").map(NodeConfigLoader::address);
            if (connect.isEmpty() && listen.isEmpty()) {
                throw x.error(
                        "give 'connect' (this node dials " + peer + ") or relay.listen (" + peer + " dials this node)");
            }
            Path key = bootstrapKey(x.required("auth_bootstrap_key"), base);
            if (key.normalize().equals(link.authBootstrapKey().normalize())) {
                throw x.required("auth_bootstrap_key")
                        .error("'" + key + "' is link " + linkId + "'s own auth_bootstrap_key; the relay channel"
                                + " needs a secret of its own (one secret authenticates one channel)");
            }
            return new NodeConfig.RelayNeighbour(linkId, peer, connect, key);
        });
        Set<String> far = new HashSet<>();
        List<NodeConfig.PeerKme> farKmes = n.optional("far_kmes")
                .map(f -> f.list(k -> {
                    k.onlyKeys("id", "etsi014");
                    String id = k.required("id").identifier();
                    if (linkOfPeer.containsKey(id)) {
                        throw k.required("id")
                                .error(id + " is a neighbour (link '" + linkOfPeer.get(id) + "'): its SAEs share"
                                        + " keys over that link, not relayed ones");
                    }
                    if (!far.add(id)) {
                        throw k.required("id").error("far KME '" + id + "' is listed twice");
                    }
                    return new NodeConfig.PeerKme(id, address(k.required("etsi014")));
                }))
                .orElse(List.of());
        Optional<ConfigNode> route = n.optional("route").map(r -> r.onlyKeys("avoid", "max_hops"));
        List<String> avoid = route.flatMap(r -> r.optional("avoid"))
                .map(a -> a.list(k -> {
                    String id = k.identifier();
                    if (far.contains(id)) {
                        throw k.error(id + " is a far KME: the keys relayed with it always end there, so it"
                                + " cannot be avoided");
                    }
                    return id;
                }))
                .orElse(List.of());
        int maxHops = route.flatMap(r -> r.optional("max_hops"))
                .map(h -> (int) h.integer(1, RelayCodec.MAX_PATH_NODES - 1))
                .orElse(RoutePolicy.any().maxHops());
        return new NodeConfig.Relay(listen, neighbours, farKmes, avoid, maxHops);
    }

    private static NodeConfig.Link link(ConfigNode n, Path base) {
        n.onlyKeys(
                "id",
                "role",
                "listen",
                "connect",
                "devices",
                "block_detections",
                "reconciler",
                "auth_bootstrap_key",
                "peer_kme",
                "protocol",
                "monitors",
                "passes",
                "time_sync");
        String id = n.required("id").identifier();
        NodeConfig.Role role = n.required("role").choice(NodeConfig.Role.class);
        Optional<InetSocketAddress> listen = n.optional("listen").map(NodeConfigLoader::address);
        Optional<InetSocketAddress> connect = n.optional("connect").map(NodeConfigLoader::address);
        if (listen.isPresent() == connect.isPresent()) {
            throw n.error("give exactly one of 'listen' (this node waits for its peer) or 'connect' (this node"
                    + " dials its peer)");
        }
        ConfigNode devicesNode = n.required("devices");
        Set<String> wanted = DEVICE_ROLES.get(role);
        Set<String> optionalDevices = OPTIONAL_DEVICE_ROLES.get(role);
        devicesNode.onlyKeys(java.util.stream.Stream.concat(wanted.stream(), optionalDevices.stream())
                .sorted()
                .toArray(String[]::new));
        Map<String, String> devices = new LinkedHashMap<>();
        for (String deviceRole : java.util.stream.Stream.concat(wanted.stream(), optionalDevices.stream())
                .toList()) {
            if (optionalDevices.contains(deviceRole)
                    && devicesNode.optional(deviceRole).isEmpty()) {
                continue;
            }
            ConfigNode d = devicesNode.required(deviceRole);
            String uri = d.text();
            if (!uri.matches("[a-z][a-z0-9+.-]*:.*")) {
                throw d.error("'" + uri + "' is not a device URI (e.g. sim:alice?link=ab&seed=42, qutag:0)");
            }
            devices.put(deviceRole, uri);
        }
        int block = n.optional("block_detections")
                .map(b -> (int) b.integer(1024, BobBlock.MAX_DETECTIONS))
                .orElse(DEFAULT_BLOCK_DETECTIONS);
        String reconciler = n.optional("reconciler").map(ConfigNode::text).orElse(DEFAULT_RECONCILER);
        if (!RECONCILERS.contains(reconciler)) {
            throw n.required("reconciler").error("'" + reconciler + "' is not one of " + RECONCILERS);
        }
        Path bootstrap = bootstrapKey(n.required("auth_bootstrap_key"), base);
        ConfigNode peer = n.required("peer_kme").onlyKeys("id", "etsi014");
        NodeConfig.PeerKme peerKme =
                new NodeConfig.PeerKme(peer.required("id").identifier(), address(peer.required("etsi014")));
        Optional<NodeConfig.Protocol> protocol = n.optional("protocol").map(NodeConfigLoader::protocol);
        if (role == NodeConfig.Role.RECEIVER && protocol.isEmpty()) {
            throw n.error("a receiver needs 'protocol' (what the transmitter sends: repetition_rate_hz,"
                    + " intensities, probabilities, z_basis_probability)");
        }
        NodeConfig.Monitors monitors =
                n.optional("monitors").map(NodeConfigLoader::monitors).orElse(DEFAULT_MONITORS);
        Optional<NodeConfig.Passes> passes = n.optional("passes").map(p -> passes(p, base));
        Optional<NodeConfig.TimeSync> timeSync = n.optional("time_sync").map(NodeConfigLoader::timeSync);
        if (timeSync.isPresent() && role != NodeConfig.Role.RECEIVER) {
            throw n.required("time_sync")
                    .error("only a receiver acquires the time offset; the transmitter answers whatever it asks");
        }
        return new NodeConfig.Link(
                id,
                role,
                listen,
                connect,
                devices,
                block,
                reconciler,
                bootstrap,
                peerKme,
                protocol,
                monitors,
                passes,
                timeSync);
    }

    private static NodeConfig.TimeSync timeSync(ConfigNode n) {
        n.onlyKeys("max_offset_us", "max_drift_ppm", "window_ms", "gap_ms");
        NodeConfig.TimeSync d = DEFAULT_TIME_SYNC;
        double offsetUs =
                n.optional("max_offset_us").map(v -> v.number(0.001, 1e6)).orElse(d.maxOffsetPs() / 1e6);
        double driftPpm =
                n.optional("max_drift_ppm").map(v -> v.number(0, 1000)).orElse(d.maxDriftPpm());
        double windowMs = n.optional("window_ms")
                .map(v -> v.number(0.01, 1000))
                .orElse(d.window().toNanos() / 1e6);
        double gapMs = n.optional("gap_ms")
                .map(v -> v.number(1, 60_000))
                .orElse(d.gap().toNanos() / 1e6);
        if (gapMs <= windowMs) {
            throw n.error("gap_ms (" + gapMs + ") must be longer than window_ms (" + windowMs + ")");
        }
        return new NodeConfig.TimeSync(
                offsetUs * 1e6,
                driftPpm,
                Duration.ofNanos(Math.round(windowMs * 1e6)),
                Duration.ofNanos(Math.round(gapMs * 1e6)));
    }

    private static NodeConfig.Passes passes(ConfigNode n, Path base) {
        n.onlyKeys(
                "tle", "station", "min_elevation_deg", "selftest_lead", "time_scale", "start", "wall_start", "horizon");
        Path tle = base.resolve(n.required("tle").text());
        String station = n.required("station").text();
        String problem = io.hotaru.agent.pass.OrbitPasses.problem(tle, station);
        if (problem != null) {
            throw n.error(problem);
        }
        double minElevation =
                n.optional("min_elevation_deg").map(v -> v.number(0, 89)).orElse(10.0);
        Duration lead = n.optional("selftest_lead")
                .map(v -> v.duration(Duration.ofSeconds(1), Duration.ofHours(1)))
                .orElse(Duration.ofSeconds(60));
        double scale = n.optional("time_scale").map(v -> v.number(1e-3, 1e6)).orElse(1.0);
        Optional<java.time.Instant> start = n.optional("start").map(NodeConfigLoader::instant);
        Optional<java.time.Instant> wallStart = n.optional("wall_start").map(NodeConfigLoader::instant);
        Duration horizon = n.optional("horizon")
                .map(v -> v.duration(Duration.ofMinutes(10), Duration.ofDays(31)))
                .orElse(Duration.ofDays(7));
        return new NodeConfig.Passes(tle, station, minElevation, lead, scale, start, wallStart, horizon);
    }

    private static java.time.Instant instant(ConfigNode v) {
        try {
            return java.time.Instant.parse(v.text());
        } catch (java.time.format.DateTimeParseException e) {
            throw v.error("'" + v.text() + "' is not a UTC time like 2026-01-01T00:00:00Z");
        }
    }

    private static NodeConfig.Monitors monitors(ConfigNode n) {
        NodeConfig.Monitors d = DEFAULT_MONITORS;
        n.onlyKeys("qber_max", "clear_after_blocks", "blinding", "trojan", "time_shift", "decoy");
        double qberMax = n.optional("qber_max").map(v -> v.number(0.001, 0.11)).orElse(d.qberMax());
        int clearAfter = n.optional("clear_after_blocks")
                .map(v -> (int) v.integer(1, 1000))
                .orElse(d.clearAfterBlocks());
        Optional<ConfigNode> blinding = n.optional("blinding")
                .map(b ->
                        b.onlyKeys("window_blocks", "min_count_rate_hz", "min_self_test_fraction", "self_test_pulses"));
        int window = blinding.flatMap(b -> b.optional("window_blocks"))
                .map(v -> (int) v.integer(1, 1000))
                .orElse(d.blindingWindowBlocks());
        double minRate = blinding.flatMap(b -> b.optional("min_count_rate_hz"))
                .map(v -> v.number(1e-3, 1e12))
                .orElse(d.blindingMinCountRateHz());
        double minSeen = blinding.flatMap(b -> b.optional("min_self_test_fraction"))
                .map(v -> v.number(1e-6, 1))
                .orElse(d.blindingMinSelfTestFraction());
        int pulses = blinding.flatMap(b -> b.optional("self_test_pulses"))
                .map(v -> (int) v.integer(0, 1_000_000))
                .orElse(d.selfTestPulsesPerBlock());
        double trojan = n.optional("trojan")
                .map(t -> t.onlyKeys("max_power_w"))
                .flatMap(t -> t.optional("max_power_w"))
                .map(v -> v.number(1e-15, 1))
                .orElse(d.trojanMaxPowerW());
        Optional<ConfigNode> shift =
                n.optional("time_shift").map(t -> t.onlyKeys("max_shift_ps", "calibration_blocks"));
        double maxShift = shift.flatMap(t -> t.optional("max_shift_ps"))
                .map(v -> v.number(0.1, 1e6))
                .orElse(d.timeShiftMaxPs());
        int calibration = shift.flatMap(t -> t.optional("calibration_blocks"))
                .map(v -> (int) v.integer(0, 1000))
                .orElse(d.timeShiftCalibrationBlocks());
        Optional<ConfigNode> decoy = n.optional("decoy").map(t -> t.onlyKeys("max_deficit", "sigmas"));
        double deficit = decoy.flatMap(t -> t.optional("max_deficit"))
                .map(v -> v.number(0.001, 0.999))
                .orElse(d.decoyMaxDeficit());
        double sigmas = decoy.flatMap(t -> t.optional("sigmas"))
                .map(v -> v.number(0.1, 100))
                .orElse(d.decoySigmas());
        return new NodeConfig.Monitors(
                qberMax, clearAfter, window, minRate, minSeen, pulses, trojan, maxShift, calibration, deficit, sigmas);
    }

    private static NodeConfig.Protocol protocol(ConfigNode n) {
        n.onlyKeys("repetition_rate_hz", "intensities", "probabilities", "z_basis_probability");
        double rate = n.required("repetition_rate_hz").number(1, 1e11);
        double[] mu = n.required("intensities").list(v -> v.number(0, 10)).stream()
                .mapToDouble(Double::doubleValue)
                .toArray();
        ConfigNode pNode = n.required("probabilities");
        double[] p = pNode.list(v -> v.number(0, 1)).stream()
                .mapToDouble(Double::doubleValue)
                .toArray();
        if (mu.length != 3) {
            throw n.required("intensities").error("give three levels: signal, decoy, vacuum");
        }
        if (p.length != 3 || Math.abs(p[0] + p[1] + p[2] - 1) > 1e-9) {
            throw pNode.error("give three probabilities, one per intensity, summing to 1");
        }
        double pz = n.required("z_basis_probability").number(1e-6, 1 - 1e-6);
        return new NodeConfig.Protocol(rate, mu, p, pz);
    }

    /** The file must exist, hold at least 1024 bytes in whole 16-byte units and be readable by its owner only. */
    private static Path bootstrapKey(ConfigNode n, Path base) {
        Path file = base.resolve(n.text());
        if (!Files.isRegularFile(file)) {
            throw n.error("'" + file + "' does not exist or is not a file");
        }
        long size;
        try {
            size = Files.size(file);
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
                if (!mode.equals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))
                        && !mode.equals(EnumSet.of(PosixFilePermission.OWNER_READ))) {
                    throw n.error("'" + file + "' has mode " + PosixFilePermissions.toString(mode)
                            + "; a secret must be 0600 (chmod 600)");
                }
            }
        } catch (IOException e) {
            throw n.error("cannot read '" + file + "': " + e.getMessage());
        }
        if (size < MIN_BOOTSTRAP_KEY_BYTES) {
            throw n.error("'" + file + "' holds " + size + " bytes; at least " + MIN_BOOTSTRAP_KEY_BYTES + " needed");
        }
        if (size % 16 != 0) {
            throw n.error("'" + file + "' holds " + size + " bytes; it must be a whole number of 16-byte units");
        }
        if (size > (1 << 24)) {
            throw n.error("'" + file + "' holds " + size + " bytes; at most 16 MiB");
        }
        return file;
    }

    private static InetSocketAddress address(ConfigNode n) {
        String s = n.text();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw n.error("'" + s + "' is not HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw n.error("'" + s + "': port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw n.error("'" + s + "': port must be in [1, 65535]");
        }
        return InetSocketAddress.createUnresolved(s.substring(0, colon), port);
    }

    private static NodeConfig.Etsi014 etsi014(
            ConfigNode n, Path base, Set<String> linkIds, Optional<NodeConfig.Relay> relay) {
        n.onlyKeys("kme_id", "bind", "port", "pki_dir", "saes", "pairs");
        String kmeId = n.required("kme_id").identifier();
        String bind = n.optional("bind").map(ConfigNode::text).orElse("127.0.0.1");
        int port = n.optional("port").map(p -> (int) p.integer(0, 65535)).orElse(DEFAULT_ETSI014_PORT);
        Path pki = base.resolve(n.required("pki_dir").text());
        Map<String, String> kmeOfSae = new LinkedHashMap<>();
        for (ConfigNode e : n.required("saes").entries()) {
            kmeOfSae.put(e.key(), e.identifier());
        }
        Map<String, String> farOfLink = new LinkedHashMap<>(); // end-to-end link -> far KME
        relay.ifPresent(r ->
                r.farKmes().forEach(f -> farOfLink.put(RelayNode.endToEndLink(kmeId, f.kmeId()), f.kmeId())));
        List<NodeConfig.SaePairLink> pairs = n.required("pairs").list(p -> {
            p.onlyKeys("master", "slave", "link");
            String master = p.required("master").identifier();
            String slave = p.required("slave").identifier();
            if (!kmeOfSae.containsKey(master)) {
                throw p.required("master").error("SAE '" + master + "' is not listed under etsi014.saes");
            }
            if (!kmeOfSae.containsKey(slave)) {
                throw p.required("slave").error("SAE '" + slave + "' is not listed under etsi014.saes");
            }
            ConfigNode linkNode = p.required("link");
            String link = linkNode.text();
            if (farOfLink.containsKey(link)) {
                Set<String> ends = Set.of(kmeId, farOfLink.get(link));
                if (!ends.equals(Set.of(kmeOfSae.get(master), kmeOfSae.get(slave)))) {
                    throw linkNode.error("'" + link + "' holds the keys relayed between " + kmeId + " and "
                            + farOfLink.get(link) + ": its pairs are an SAE of each, not " + master + " ("
                            + kmeOfSae.get(master) + ") and " + slave + " (" + kmeOfSae.get(slave) + ")");
                }
                return new NodeConfig.SaePairLink(master, slave, link);
            }
            if (!linkIds.contains(link)) {
                String other = kmeId.equals(kmeOfSae.get(master)) ? kmeOfSae.get(slave) : kmeOfSae.get(master);
                throw linkNode.error("no link with id '" + link + "' under links"
                        + (other.equals(kmeId)
                                ? ""
                                : " (for keys relayed from " + other + ", list it under relay.far_kmes and give"
                                        + " link '" + RelayNode.endToEndLink(kmeId, other) + "')"));
            }
            if (kmeId.equals(kmeOfSae.get(master)) && kmeId.equals(kmeOfSae.get(slave))) {
                throw p.required("slave")
                        .error("SAE '" + slave + "' is at this KME (" + kmeId + "), like its master '" + master
                                + "': link '" + link + "' shares its key with the KME at its other end, so the"
                                + " slave must be an SAE of that KME (else both ends could hand out the same key)");
            }
            return new NodeConfig.SaePairLink(master, slave, link);
        });
        return new NodeConfig.Etsi014(kmeId, bind, port, pki, kmeOfSae, pairs);
    }

    private static NodeConfig.Metrics metrics(ConfigNode n) {
        n.onlyKeys("bind", "port");
        String bind = n.optional("bind").map(ConfigNode::text).orElse("127.0.0.1");
        if (!bind.equals("127.0.0.1") && !bind.equals("localhost") && !bind.equals("::1")) {
            throw n.required("bind")
                    .error("'" + bind + "': the metrics endpoint listens on the loopback only"
                            + " (127.0.0.1, ::1 or localhost)");
        }
        int port = (int) n.required("port").integer(0, 65535);
        return new NodeConfig.Metrics(bind, port);
    }

    private static NodeConfig.Mqtt mqtt(ConfigNode n, Path base) {
        n.onlyKeys("broker", "port", "telemetry_period", "command_senders");
        String broker = n.optional("broker").map(ConfigNode::text).orElse(NodeConfig.Mqtt.EMBEDDED);
        brokerProblem(broker).ifPresent(problem -> {
            throw n.required("broker").error(problem);
        });
        int port = n.optional("port").map(p -> (int) p.integer(0, 65535)).orElse(DEFAULT_MQTT_PORT);
        Duration period = n.optional("telemetry_period")
                .map(p -> p.duration(Duration.ofMillis(100), Duration.ofHours(1)))
                .orElse(DEFAULT_TELEMETRY_PERIOD);
        Optional<Path> senders = n.optional("command_senders").map(c -> {
            Path file = base.resolve(c.text());
            try {
                io.hotaru.agent.mqtt.SenderAllowList.read(file);
            } catch (IllegalArgumentException e) {
                throw c.error(e.getMessage());
            }
            return file;
        });
        return new NodeConfig.Mqtt(broker, port, period, senders);
    }

    /** Why {@code broker} is neither {@code embedded} nor a broker URI, or empty if it is fine. */
    public static Optional<String> brokerProblem(String broker) {
        if (broker.equals(NodeConfig.Mqtt.EMBEDDED)) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(broker);
            if (uri.getScheme() == null
                    || !Set.of("tcp", "ssl", "mqtt", "mqtts").contains(uri.getScheme())
                    || uri.getHost() == null) {
                return Optional.of("'" + broker + "' is not 'embedded' or a broker URI like tcp://127.0.0.1:1883");
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + broker + "' is not a URI: " + e.getMessage());
        }
    }
}
