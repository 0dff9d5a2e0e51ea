package io.hotaru.agent.node;

import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.config.NodeConfigLoader;
import io.hotaru.keys.pki.Pki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

/**
 * Two node daemons in one JVM over a simulated link, A the transmitter and B the receiver, with
 * their PKI, bootstrap secret and configuration files under one folder. Extra YAML (an {@code mqtt}
 * or {@code metrics} section) is appended per node.
 */
public final class NodePair implements AutoCloseable {

    public final Path dir;
    public final Path configA;
    public final Path configB;
    private NodeDaemon a;
    private NodeDaemon b;

    /**
     * @param sim the {@code sim:} URI parameters both ends share
     * @param extraA YAML appended to A's configuration
     * @param extraB YAML appended to B's configuration
     */
    public NodePair(Path dir, String sim, int blockDetections, String extraA, String extraB) throws IOException {
        this(dir, sim, blockDetections, extraA, extraB, "");
    }

    /** @param linkExtra YAML added to the link's section at both nodes, indented by four spaces */
    public NodePair(Path dir, String sim, int blockDetections, String extraA, String extraB, String linkExtra)
            throws IOException {
        this(dir, sim, blockDetections, extraA, extraB, linkExtra, port -> port);
    }

    /**
     * @param dialVia the port B dials, given the port A listens on (a fault proxy in front of A, or
     *     A's port itself)
     */
    public NodePair(
            Path dir,
            String sim,
            int blockDetections,
            String extraA,
            String extraB,
            String linkExtra,
            java.util.function.IntUnaryOperator dialVia)
            throws IOException {
        this(dir, sim, blockDetections, extraA, extraB, linkExtra, linkExtra, "", dialVia);
    }

    /**
     * @param linkExtraA YAML added to A's link section, indented by four spaces
     * @param linkExtraB YAML added to B's link section, indented by four spaces
     * @param devicesExtraB YAML added to B's {@code devices}, indented by six spaces
     */
    public NodePair(
            Path dir,
            String sim,
            int blockDetections,
            String extraA,
            String extraB,
            String linkExtraA,
            String linkExtraB,
            String devicesExtraB,
            java.util.function.IntUnaryOperator dialVia)
            throws IOException {
        this.dir = dir;
        Pki.create(dir.resolve("pki"), List.of("kme-a", "kme-b"), List.of("sae-a", "sae-b"));
        byte[] secret = new byte[64 * 1024];
        new SecureRandom().nextBytes(secret);
        Path bootstrap = dir.resolve("auth-bootstrap.key");
        Files.write(bootstrap, secret);
        java.util.Arrays.fill(secret, (byte) 0);
        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rw-------"));
        int etsiA = freePort();
        int etsiB = freePort();
        int peerPort = freePort();
        configA = write(
                "node-a.yaml",
                config(
                                "a",
                                "kme-a",
                                etsiA,
                                """
                    role: transmitter
                    listen: 127.0.0.1:%d
                    devices:
                      source: "sim:alice?%s"
                      qrng: "sim:qrng?seed=7"
                      monitor: "sim:monitor?%s"
                """.formatted(peerPort, sim, sim) + linkExtraA,
                                blockDetections,
                                "kme-b",
                                etsiB)
                        + extraA);
        configB = write(
                "node-b.yaml",
                config(
                                "b",
                                "kme-b",
                                etsiB,
                                """
                    role: receiver
                    connect: 127.0.0.1:%d
                    devices:
                      tagger: "sim:bob?%s"
                      detectors: "sim:detectors?%s"
                %s    protocol:
                      repetition_rate_hz: 1.0e+8
                      intensities: [0.4, 0.15, 0.0]
                      probabilities: [0.4, 0.3, 0.3]
                      z_basis_probability: 0.3
                """.formatted(dialVia.applyAsInt(peerPort), sim, sim, devicesExtraB) + linkExtraB,
                                blockDetections,
                                "kme-a",
                                etsiA)
                        + extraB);
    }

    public void start() {
        a = NodeDaemon.start(NodeConfigLoader.load(configA));
        b = NodeDaemon.start(NodeConfigLoader.load(configB));
    }

    public NodeDaemon a() {
        return a;
    }

    public NodeDaemon b() {
        return b;
    }

    /** Stops A (closing it) and starts it again from its configuration. */
    public void restartA() {
        a.close();
        a = NodeDaemon.start(NodeConfigLoader.load(configA));
    }

    public Path audit(String node) {
        return dir.resolve("node-" + node).resolve("audit.log");
    }

    public NodeConfig loadA() {
        return NodeConfigLoader.load(configA);
    }

    @Override
    public void close() {
        for (NodeDaemon d : new NodeDaemon[] {b, a}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private static String config(
            String node, String kme, int etsiPort, String linkBody, int block, String peerKme, int peerEtsi) {
        return """
                node:
                  id: node-%s
                key_store:
                  path: node-%s/keys.db
                  master_key: node-%s/master.key
                audit:
                  path: node-%s/audit.log
                etsi014:
                  kme_id: %s
                  port: %d
                  pki_dir: pki
                  saes:
                    sae-a: kme-a
                    sae-b: kme-b
                  pairs:
                    - master: sae-a
                      slave: sae-b
                      link: A-B
                links:
                  - id: A-B
                %s    block_detections: %d
                    auth_bootstrap_key: auth-bootstrap.key
                    peer_kme:
                      id: %s
                      etsi014: 127.0.0.1:%d
                """.formatted(node, node, node, node, kme, etsiPort, linkBody, block, peerKme, peerEtsi);
    }

    private Path write(String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
