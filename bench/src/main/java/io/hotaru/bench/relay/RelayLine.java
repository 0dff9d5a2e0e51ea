package io.hotaru.bench.relay;

import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.peer.PeerTls;
import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.relay.RelayJournal;
import io.hotaru.keys.relay.RelayNode;
import io.hotaru.keys.relay.RelayPeer;
import io.hotaru.keys.relay.net.NettyRelayWire;
import io.hotaru.keys.relay.net.RelayConnector;
import io.hotaru.keys.relay.net.RelayListener;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.WriterStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A line of relay nodes in one JVM, each with its own key store and journal in a temporary
 * directory, neighbours connected by Netty over mutual TLS 1.3 on loopback, every link holding
 * {@code unitsPerLink} units of identical key at both ends.
 */
final class RelayLine implements AutoCloseable {
    final List<RelayNode> nodes = new ArrayList<>();
    private final Path dir;
    private final List<KeyStore> stores = new ArrayList<>();
    private final List<RelayJournal> journals = new ArrayList<>();
    private final List<RelayListener> listeners = new ArrayList<>();
    private final List<RelayConnector> connectors = new ArrayList<>();
    private final List<AuthKeyPool> pools = new ArrayList<>();
    private final List<WriterStats> setUp = new ArrayList<>();
    private long setUpNanos;

    RelayLine(int nodeCount, int unitsPerLink) throws Exception {
        dir = Files.createTempDirectory("hotaru-relay-bench");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            ids.add("N" + i);
        }
        PkiFiles pki = Pki.create(dir.resolve("pki"), ids, List.of("sae-bench"));
        Random random = new Random(1);
        fill(ids, unitsPerLink, random);
        for (String id : ids) {
            KeyStore store = KeyStore.open(dir.resolve(id + ".db"), MasterKey.of(master(id)));
            RelayJournal journal = RelayJournal.open(store);
            stores.add(store);
            journals.add(journal);
            nodes.add(new RelayNode(id, store, journal, Duration.ofSeconds(10), 3));
            listeners.add(RelayListener.bind(new InetSocketAddress("127.0.0.1", 0), tls(pki, id)));
        }
        for (int i = 0; i + 1 < nodeCount; i++) {
            String a = ids.get(i);
            String b = ids.get(i + 1);
            String link = a + "-" + b;
            byte[] bootstrap = new byte[2 << 20];
            random.nextBytes(bootstrap);
            AuthKeyPool poolA = AuthKeyPool.bootstrap(bootstrap);
            AuthKeyPool poolB = AuthKeyPool.bootstrap(bootstrap);
            pools.add(poolA);
            pools.add(poolB);
            nodes.get(i).addLink(b, link);
            nodes.get(i + 1).addLink(a, link);
            RelayConnector connector = new RelayConnector(tls(pki, a), Duration.ofSeconds(10), listeners.get(i));
            connectors.add(connector);
            NettyRelayWire client = connector.connect(
                    "localhost", listeners.get(i + 1).localAddress().getPort(), b);
            NettyRelayWire server =
                    listeners.get(i + 1).accept(Duration.ofSeconds(10)).orElseThrow();
            nodes.get(i).connect(b, poolA, client);
            nodes.get(i + 1).connect(a, poolB, server);
        }
        for (int round = 0; round < 2; round++) {
            for (RelayNode n : nodes) {
                n.announce();
            }
            Thread.sleep(200);
        }
        stores.forEach(store -> setUp.add(store.writerStats()));
        setUpNanos = System.nanoTime();
    }

    /**
     * Per node, what its store's writer did since the line was set up: operations per commit, fsyncs,
     * their mean time, and the share of the wall time the writer thread spent running operations;
     * the forwards it sent to the next node and in how many frames (since the channel opened); and
     * at an intermediate node, how many batches it passed on from the event loop that received them.
     */
    String writerReport() {
        double seconds = (System.nanoTime() - setUpNanos) / 1e9;
        StringBuilder b = new StringBuilder("store writers since set-up (" + String.format("%.1f", seconds) + " s):");
        for (int i = 0; i < stores.size(); i++) {
            WriterStats w = stores.get(i).writerStats().minus(setUp.get(i));
            b.append(String.format(
                    "%n  %s: %d operations, %.1f per commit, commits of %.2f ms mean (%d over 5 ms, taking %.0f ms),"
                            + " %d fsyncs of %.2f ms mean, writer busy %.0f%%",
                    nodes.get(i).id(),
                    w.operations(),
                    w.operationsPerBatch(),
                    w.batches() == 0 ? 0.0 : w.commitNanos() / 1e6 / w.batches(),
                    w.slowCommits(),
                    w.slowCommitNanos() / 1e6,
                    w.syncs(),
                    w.syncs() == 0 ? 0.0 : w.syncNanos() / 1e6 / w.syncs(),
                    100.0 * (w.workNanos() + w.commitNanos()) / 1e9 / seconds));
            if (i + 1 < nodes.size()) {
                long[] sent = nodes.get(i)
                        .channelTo(nodes.get(i + 1).id())
                        .map(RelayPeer::batchesAndForwardsSent)
                        .orElse(new long[2]);
                b.append(String.format(
                        ", to %s %d forwards in %d frames (%.1f per frame)",
                        nodes.get(i + 1).id(), sent[1], sent[0], sent[0] == 0 ? 0.0 : (double) sent[1] / sent[0]));
            }
            if (i > 0 && i + 1 < nodes.size()) {
                b.append(String.format(
                        ", %d batches passed on from the event loop",
                        nodes.get(i).forwardBatchesInline()));
            }
        }
        return b.toString();
    }

    /**
     * Stores {@code unitsPerLink} units of identical key at both ends of every link, then closes
     * each store, which checkpoints its WAL into the database file: the run then starts with no
     * write of the set-up still to come.
     */
    private void fill(List<String> ids, int unitsPerLink, Random random) {
        List<KeyStore> filling = new ArrayList<>();
        try {
            for (String id : ids) {
                filling.add(KeyStore.open(dir.resolve(id + ".db"), MasterKey.of(master(id))));
            }
            for (int i = 0; i + 1 < ids.size(); i++) {
                String link = ids.get(i) + "-" + ids.get(i + 1);
                byte[] material = new byte[unitsPerLink * KeyStore.KEY_BYTES];
                random.nextBytes(material);
                filling.get(i).ingest(link, 1, material);
                filling.get(i + 1).ingest(link, 1, material);
            }
        } finally {
            filling.forEach(KeyStore::close);
        }
    }

    /** Node {@code id}'s master key (the same at every opening of its store). */
    private static byte[] master(String id) {
        byte[] master = new byte[MasterKey.LENGTH];
        new Random(id.hashCode()).nextBytes(master);
        return master;
    }

    private static PeerTls tls(PkiFiles pki, String id) {
        CredentialFiles kme = pki.kme(id);
        return new PeerTls(kme.certificate(), kme.privateKey(), pki.caCertificate());
    }

    RelayNode first() {
        return nodes.get(0);
    }

    String lastId() {
        return nodes.get(nodes.size() - 1).id();
    }

    @Override
    public void close() throws IOException {
        nodes.forEach(RelayNode::close);
        connectors.forEach(RelayConnector::close);
        listeners.forEach(RelayListener::close);
        journals.forEach(RelayJournal::close); // before the stores: writes their pending rows
        stores.forEach(KeyStore::close);
        pools.forEach(AuthKeyPool::close);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
