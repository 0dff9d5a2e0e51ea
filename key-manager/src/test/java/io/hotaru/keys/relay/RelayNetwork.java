package io.hotaru.keys.relay;

import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.store.AuthKeyStore;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Relay nodes in one JVM for tests: real key stores (SQLite files in a temporary directory), real
 * journals, links whose key is ingested identically at both ends (no physics), and relay channels
 * over {@link InMemoryWire}s or any other wire. Node stores and journals are reachable for the
 * {@link RelayHistoryChecker}.
 */
final class RelayNetwork implements AutoCloseable {
    /** A QKD link between two nodes and the units ingested on it. */
    record Link(String a, String b, String linkId, List<UUID> units) {}

    final Path dir;
    final Random random;
    /** Bootstrap authentication keys: a different stream from the link keys, so a restart can vary them. */
    private final Random authRandom;

    final Map<String, KeyStore> stores = new LinkedHashMap<>();
    /** Each node's durable authentication key pools, in its key store's file. */
    final Map<String, AuthKeyStore> authStores = new LinkedHashMap<>();

    final Map<String, RelayJournal> journals = new LinkedHashMap<>();
    final Map<String, RelayNode> nodes = new LinkedHashMap<>();
    final Map<String, Link> links = new LinkedHashMap<>();
    /** The plaintext of every link-key unit handed out, for tests that reconstruct a node's view. */
    final Map<UUID, byte[]> unitMaterial = new java.util.HashMap<>();

    private final Map<String, AuthKeyPool[]> pools = new LinkedHashMap<>();
    private final Map<String, InMemoryWire> wires = new LinkedHashMap<>();
    private final Duration callTimeout;
    private long nextBlock = 1;
    private int rememberedOutcomes = SettledRelays.DEFAULT_CAPACITY;

    RelayNetwork(Path dir, long seed, Duration callTimeout) {
        this(dir, seed, callTimeout, ~seed);
    }

    /**
     * @param seed link keys and master keys: the same seed reopens the same stores (ingest is
     *     idempotent per block)
     * @param authSeed the links' bootstrap authentication keys
     */
    private int bootstrapBytes = 1 << 16;

    RelayNetwork(Path dir, long seed, Duration callTimeout, long authSeed) {
        this.dir = dir;
        this.random = new Random(seed);
        this.authRandom = new Random(authSeed);
        this.callTimeout = callTimeout;
    }

    RelayNetwork(Path dir, long seed) {
        this(dir, seed, Duration.ofSeconds(10));
    }

    RelayNetwork node(String id) {
        return node(id, StoreOptions.defaults());
    }

    /** Links made from now on start their relay channels' authentication pools with {@code bytes} of bootstrap secret. */
    RelayNetwork withBootstrapBytes(int bytes) {
        this.bootstrapBytes = bytes;
        return this;
    }

    /** Nodes made from now on remember the outcomes of only the last {@code n} relays settled there. */
    RelayNetwork remembering(int n) {
        this.rememberedOutcomes = n;
        return this;
    }

    /** A node whose key store has {@code options} (capacities, clock). */
    RelayNetwork node(String id, StoreOptions options) {
        byte[] master = new byte[MasterKey.LENGTH];
        random.nextBytes(master);
        KeyStore store = KeyStore.open(dir.resolve(id + ".db"), MasterKey.of(master), options);
        RelayJournal journal = RelayJournal.open(store);
        stores.put(id, store);
        authStores.put(id, new AuthKeyStore(store));
        journals.put(id, journal);
        nodes.put(id, new RelayNode(id, store, journal, callTimeout, 3, rememberedOutcomes));
        return this;
    }

    static String linkId(String a, String b) {
        return a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a;
    }

    /** A link with {@code units} of identical key at both ends and an in-memory relay channel. */
    RelayNetwork link(String a, String b, int units) {
        linkWithoutChannel(a, b, units);
        connect(a, b);
        return this;
    }

    /** The link and its key, with no relay channel yet (see {@link #connect(String, String, BiFunction)}). */
    RelayNetwork linkWithoutChannel(String a, String b, int units) {
        String id = linkId(a, b);
        nodes.get(a).addLink(b, id);
        nodes.get(b).addLink(a, id);
        links.put(id, new Link(a, b, id, new ArrayList<>()));
        addKey(a, b, units);
        byte[] bootstrap = new byte[bootstrapBytes];
        authRandom.nextBytes(bootstrap); // read only by an end whose store has no state for the link yet
        pools.put(id, new AuthKeyPool[] {
            authStores.get(a).open(authPoolOf(id), bootstrap::clone),
            authStores.get(b).open(authPoolOf(id), bootstrap::clone)
        });
        java.util.Arrays.fill(bootstrap, (byte) 0);
        return this;
    }

    /** Another block of {@code units} on the link (a satellite pass, a distilled block). */
    void addKey(String a, String b, int units) {
        addKeyAtFirst(a, b, units).run();
    }

    /**
     * Another block of {@code units} on the link, stored at {@code first} only (the end a distilled
     * block reaches first); the block reaches the other end when the returned task is run.
     */
    Runnable addKeyAtFirst(String first, String other, int units) {
        Link link = links.get(linkId(first, other));
        byte[] material = new byte[units * KeyStore.KEY_BYTES];
        random.nextBytes(material);
        long block = nextBlock++;
        stores.get(first).ingest(link.linkId(), block, material);
        for (int i = 0; i < units; i++) {
            UUID id = KeyIds.derive(link.linkId(), block, i);
            link.units().add(id);
            unitMaterial.put(
                    id, java.util.Arrays.copyOfRange(material, i * KeyStore.KEY_BYTES, (i + 1) * KeyStore.KEY_BYTES));
        }
        return () -> stores.get(other).ingest(link.linkId(), block, material);
    }

    /**
     * Stores at {@code node} the block {@code late} stands for ({@link #addKeyAtFirst}) once a lease
     * there waits for units, on a thread of its own that gives up after 30 s; join it before
     * checking.
     */
    Thread whenALeaseWaits(String node, Runnable late) {
        KeyStore store = stores.get(node);
        Thread thread = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            try {
                while (store.waitingForBlocks() == 0) {
                    if (System.nanoTime() - deadline > 0) {
                        return;
                    }
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                return;
            }
            late.run();
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The name of a link's relay authentication pool in the nodes' stores. */
    static String authPoolOf(String linkId) {
        return "relay/" + linkId;
    }

    /** The authentication pool of {@code node}'s end of the link to {@code peer}. */
    AuthKeyPool authPool(String node, String peer) {
        AuthKeyPool[] p = pools.get(linkId(node, peer));
        return p[links.get(linkId(node, peer)).a().equals(node) ? 0 : 1];
    }

    void connect(String a, String b) {
        InMemoryWire wire = new InMemoryWire();
        connect(a, b, (x, y) -> x.equals(a) ? wire.endA() : wire.endB());
        wires.put(linkId(a, b), wire);
    }

    /** Connects the ends over wires from {@code wireOf(self, peer)} (their hellos agree the key positions). */
    void connect(String a, String b, BiFunction<String, String, RelayWire> wireOf) {
        nodes.get(a).disconnect(b); // old channels stop drawing authentication key first
        nodes.get(b).disconnect(a);
        nodes.get(a).connect(b, authPool(a, b), wireOf.apply(a, b));
        nodes.get(b).connect(a, authPool(b, a), wireOf.apply(b, a));
    }

    /**
     * Replaces node {@code id} by a new relay node on the same key store and journal, as a restart
     * would (its memory rebuilt from the journal), with its links declared and no channel yet.
     */
    void restart(String id) {
        nodes.get(id).close();
        RelayNode node = new RelayNode(id, stores.get(id), journals.get(id), callTimeout, 3, rememberedOutcomes);
        nodes.put(id, node);
        for (Link l : links.values()) {
            if (l.a().equals(id) || l.b().equals(id)) {
                String peer = l.a().equals(id) ? l.b() : l.a();
                node.addLink(peer, l.linkId());
                nodes.get(peer).disconnect(id);
            }
        }
    }

    void cut(String a, String b) {
        wires.get(linkId(a, b)).cut();
    }

    /** Every node announces its links; returns once every table has every node's newest announcement. */
    void converge() throws InterruptedException {
        for (RelayNode n : nodes.values()) {
            n.announce();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int polls = 0;
        while (true) {
            boolean done = true;
            for (RelayNode n : nodes.values()) {
                for (RelayNode origin : nodes.values()) {
                    long own = origin.linkStateTable().sequenceOf(origin.id());
                    if (n.linkStateTable().sequenceOf(origin.id()) < own) {
                        done = false;
                    }
                }
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("link-state tables did not converge");
            }
            Thread.sleep(5);
            if (++polls % 100 == 0) { // as nodes do every few seconds: one may have been lost
                for (RelayNode n : nodes.values()) {
                    n.announce();
                }
            }
        }
    }

    RelayNode at(String id) {
        return nodes.get(id);
    }

    KeyStore storeOf(String id) {
        return stores.get(id);
    }

    @Override
    public void close() {
        nodes.values().forEach(RelayNode::close);
        journals.values().forEach(RelayJournal::close);
        stores.values().forEach(KeyStore::close);
        pools.values().forEach(p -> {
            p[0].close();
            p[1].close();
        });
    }
}
