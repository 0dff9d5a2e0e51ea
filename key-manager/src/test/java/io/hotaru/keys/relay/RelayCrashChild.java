package io.hotaru.keys.relay;

import io.hotaru.keys.store.AuthKeyStore;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * One relay node of the square A–B–D–C–A as its own process, for {@link RelayCrashIT}: its key
 * store and journal in the directory (reopened as they are after a kill), its links' key ingested
 * identically at both ends (idempotent per block), their relay authentication pools opened from its
 * store (the bootstrap secret only the first time), a TCP wire per link (the end whose ID sorts
 * first listens on the link's port, the other dials, again and again). It settles the relays it left
 * in doubt, prints READY, then relays 256-bit keys to the opposite corner without end.
 *
 * <p>Commands on stdin, each answered on stdout: PAUSE (stop starting relays, settle every relay it
 * started: PAUSED n with n still in doubt), SYNC (journal durable: SYNCED), DUMP (writes {@code
 * <self>.dump} for the history checker: the state of every unit of its links and of the end-to-end
 * key of every relay in its journal, with the digest of a key it holds; DUMPED), RESUME.
 *
 * <pre>
 * args: dir self opposite seed peer:port...
 * </pre>
 */
public final class RelayCrashChild {
    /**
     * Units per link: the relays' pads and the channel's authentication refills (which start once
     * the bootstrap secret's words are down to the reserve, and take a unit per two frames each way).
     */
    static final int UNITS_PER_LINK = 40_000;

    static final long LINK_BLOCK = 1;
    static final Map<String, String> OPPOSITE = Map.of("A", "D", "D", "A", "B", "C", "C", "B");
    static final List<List<String>> LINKS =
            List.of(List.of("A", "B"), List.of("B", "D"), List.of("C", "D"), List.of("A", "C"));

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The relay channels' bootstrap authentication key: 4,096 words per direction, the pool's
     * reserve, so the channels refill their pools from the links' key throughout the campaign (every
     * frame, relays and announcements, spends a word; the bootstrap secret lasts under a minute)
     * and a node may be killed at any point of a refill.
     */
    static final int AUTH_BOOTSTRAP_BYTES = 1 << 16;

    /** How many settled relays' outcomes a node remembers (the campaign asks for few: see {@link RelayCrashIT}). */
    static final String REMEMBERED_PROPERTY = "relay.remembered";

    private volatile boolean paused;
    /** Held while a relay of this node's loop runs: PAUSE takes it to wait for the one in flight. */
    private final Object gate = new Object();

    private final String self;
    private final RelayNode node;
    private final RelayJournal journal;
    private final KeyStore store;
    private final Path dir;
    private final List<String> linkIds = new ArrayList<>();
    private final Set<UUID> linkUnitIds = new java.util.HashSet<>();
    private final Map<UUID, byte[]> digests = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService digester =
            java.util.concurrent.Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "dump");
                t.setDaemon(true);
                return t;
            });
    private String opposite;

    private RelayCrashChild(String self, RelayNode node, RelayJournal journal, KeyStore store, Path dir) {
        this.self = self;
        this.node = node;
        this.journal = journal;
        this.store = store;
        this.dir = dir;
    }

    static byte[] masterKey(String node) {
        byte[] key = new byte[MasterKey.LENGTH];
        Arrays.fill(key, (byte) node.charAt(0));
        return key;
    }

    /** The link's key, the same at both ends: one block of {@link #UNITS_PER_LINK} units. */
    static byte[] linkKey(String linkId) {
        byte[] key = new byte[UNITS_PER_LINK * KeyStore.KEY_BYTES];
        new Random(linkId.hashCode()).nextBytes(key);
        return key;
    }

    static List<UUID> linkUnits(String linkId) {
        List<UUID> units = new ArrayList<>();
        for (int i = 0; i < UNITS_PER_LINK; i++) {
            units.add(KeyIds.derive(linkId, LINK_BLOCK, i));
        }
        return units;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String self = args[1];
        String opposite = args[2];
        Random random = new Random(Long.parseLong(args[3]));
        KeyStore store = KeyStore.open(dir.resolve(self + ".db"), MasterKey.of(masterKey(self)));
        AuthKeyStore auth = new AuthKeyStore(store);
        RelayJournal journal = RelayJournal.open(store);
        RelayNode node = new RelayNode(
                self,
                store,
                journal,
                CALL_TIMEOUT,
                3,
                Integer.getInteger(REMEMBERED_PROPERTY, SettledRelays.DEFAULT_CAPACITY));
        RelayCrashChild child = new RelayCrashChild(self, node, journal, store, dir);
        child.opposite = opposite;
        for (int i = 4; i < args.length; i++) {
            String[] link = args[i].split(":");
            String peer = link[0];
            int port = Integer.parseInt(link[1]);
            String linkId = RelayNetwork.linkId(self, peer);
            node.addLink(peer, linkId);
            child.linkIds.add(linkId);
            child.linkUnitIds.addAll(linkUnits(linkId));
            byte[] key = linkKey(linkId);
            store.ingest(linkId, LINK_BLOCK, key);
            Arrays.fill(key, (byte) 0);
            var pool = auth.open(RelayNetwork.authPoolOf(linkId), () -> {
                byte[] secret = new byte[AUTH_BOOTSTRAP_BYTES];
                new Random(~linkId.hashCode()).nextBytes(secret);
                return secret;
            });
            child.daemon("link-" + linkId, () -> child.keepConnected(peer, port, pool));
        }
        child.daemon("announce", child::announceForever);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (node.linkStates().stream().anyMatch(l -> !l.up()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long down = node.linkStates().stream().filter(l -> !l.up()).count();
        int left = child.settle(deadline);
        // a link still down (an authentication pool the two ends disagree on) fails the campaign
        System.out.println(down == 0 ? "READY " + left : "LINKS-DOWN " + down);
        System.out.flush();
        child.daemon("relay", () -> child.relayForever(opposite, random));
        child.serveCommands();
    }

    private void daemon(String name, ThrowingRunnable body) {
        Thread t = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        System.err.println(self + " " + name + ": " + e);
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Keeps the link's relay channel up: listens (lower ID) or dials (higher ID), forever. */
    private void keepConnected(String peer, int port, io.hotaru.keys.distill.auth.RefillableAuthKeySource pool)
            throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        if (self.compareTo(peer) < 0) {
            try (ServerSocket server = new ServerSocket()) {
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(loopback, port));
                while (true) {
                    SocketWire wire = new SocketWire(server.accept());
                    node.connect(peer, pool, wire);
                }
            }
        }
        while (true) {
            Socket socket;
            try {
                socket = new Socket(loopback, port);
            } catch (java.io.IOException notYet) {
                Thread.sleep(20);
                continue;
            }
            SocketWire wire = new SocketWire(socket);
            node.connect(peer, pool, wire);
            wire.awaitClosed();
        }
    }

    private void announceForever() throws InterruptedException {
        while (true) {
            try {
                node.announce();
            } catch (RuntimeException e) {
                // a neighbour went away mid-announcement; the next one goes out anyway
            }
            Thread.sleep(400);
        }
    }

    private void relayForever(String opposite, Random random) throws InterruptedException {
        while (true) {
            RelayOutcome outcome = null;
            synchronized (gate) {
                if (!paused) {
                    outcome = node.relay(opposite, 256, RoutePolicy.any());
                    if (node.inDoubt() > 0) {
                        node.resolveInDoubt();
                    }
                }
            }
            if (outcome == null || outcome.status() != RelayStatus.COMMITTED) {
                Thread.sleep(20);
            } else {
                Thread.sleep(random.nextInt(3));
            }
        }
    }

    /** Settles every relay this node started, retrying while a route is unreachable; returns what is left. */
    private int settle(long deadline) throws InterruptedException {
        int left = node.resolveInDoubt();
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = node.resolveInDoubt();
        }
        return left;
    }

    /**
     * One line per unit of its links and of its end-to-end link: {@code id state [digest]} (hex),
     * for {@link RelayCrashIT}. States come from one read-only query of the store file; digests
     * (through the store, which decrypts) only for keys not digested before, many at a time so that
     * they share the store's commits. A held key never changes here (nothing is delivered).
     */
    private void dump() throws Exception {
        List<String> dumped = new ArrayList<>(linkIds);
        String endToEnd = RelayNode.endToEndLink(self, opposite);
        dumped.add(endToEnd);
        Map<UUID, String> states = new java.util.LinkedHashMap<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(self + ".db"));
                java.sql.PreparedStatement ps =
                        c.prepareStatement("SELECT key_id, state FROM stored_key WHERE link_id = ?")) {
            for (String link : dumped) {
                ps.setString(1, link);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        states.put(UUID.fromString(rs.getString(1)), rs.getString(2));
                    }
                }
            }
        }
        Set<UUID> endToEndKeys = new java.util.HashSet<>();
        List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
        states.forEach((id, state) -> {
            boolean held = !state.equals("ERASED") && !state.equals("DELIVERED");
            if (held && !digests.containsKey(id) && !linkUnitIds.contains(id)) {
                endToEndKeys.add(id);
                pending.add(digester.submit(() -> digests.put(id, store.digest(List.of(id)))));
            }
        });
        for (var f : pending) {
            f.get();
        }
        StringBuilder out = new StringBuilder();
        states.forEach((id, state) -> {
            out.append(id).append(' ').append(state);
            byte[] digest = digests.get(id);
            if (digest != null && !state.equals("ERASED") && !state.equals("DELIVERED")) {
                out.append(' ').append(java.util.HexFormat.of().formatHex(digest));
            }
            out.append('\n');
        });
        Path file = dir.resolve(self + ".dump");
        Path tmp = dir.resolve(self + ".dump.tmp");
        java.nio.file.Files.writeString(tmp, out, StandardCharsets.US_ASCII);
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** On stderr (the test keeps it): the journal lines of the relays still in doubt, and the links. */
    private void reportInDoubt() {
        List<RelayJournal.Event> events = journal.events();
        Set<Long> settled = new java.util.HashSet<>();
        events.stream()
                .filter(e -> e.kind() == RelayJournal.Kind.COMMIT || e.kind() == RelayJournal.Kind.ABORT)
                .forEach(e -> settled.add(e.relayId()));
        events.stream()
                .filter(e -> e.kind() == RelayJournal.Kind.BEGIN && !settled.contains(e.relayId()))
                .forEach(begin -> events.stream()
                        .filter(e -> e.relayId() == begin.relayId())
                        .forEach(e -> System.err.println(self + " in doubt: " + e)));
        System.err.println(self + " links: " + node.linkStates());
    }

    private void serveCommands() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String command;
        while ((command = in.readLine()) != null) {
            switch (command) {
                case "PAUSE" -> {
                    paused = true;
                    node.pauseRefills(true); // announcements still flow: no refill may start meanwhile
                    synchronized (gate) {
                        // the relay in flight has returned; no other starts while paused
                    }
                    int left = settle(System.nanoTime() + Duration.ofSeconds(30).toNanos());
                    if (left > 0) {
                        reportInDoubt();
                    }
                    node.awaitLeases(); // a refill started before the pause has ended
                    System.out.println("PAUSED " + left);
                }
                case "SYNC" -> {
                    journal.sync();
                    System.out.println("SYNCED");
                }
                case "DUMP" -> {
                    dump();
                    System.out.println("DUMPED");
                }
                case "RESUME" -> {
                    node.pauseRefills(false);
                    paused = false;
                    System.out.println("RESUMED");
                }
                default -> System.out.println("UNKNOWN " + command);
            }
            System.out.flush();
        }
        System.exit(0); // the test went away
    }
}
