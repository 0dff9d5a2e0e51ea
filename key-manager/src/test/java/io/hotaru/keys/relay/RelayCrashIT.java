package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.store.KeyState;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four relay nodes as separate processes ({@link RelayCrashChild}) on the square A–B–D–C–A, each
 * relaying keys to the opposite corner through the others; {@value #KILLS} times one node, picked
 * at random, is killed with SIGKILL at a random point of the relays while the other three stay up,
 * and started again on its store, journal and authentication-key state. Before a quarter of the kills
 * a node picked at random is frozen (SIGSTOP) for up to a second in the middle of its relays, then
 * resumed (SIGCONT). Its neighbours reconnect
 * (the relay channel's hellos agree the key positions, the restarted end going on after every word
 * it may have used), relays route around it while it is down, and it settles the relays it left in
 * doubt. After each restart every node pauses and settles its relays and the history checker must
 * pass on all four: link units used or burned at both ends alike, none used twice, every relay
 * committed at both ends with the same key or rolled back at both. Each node remembers the outcomes
 * of its last {@value #REMEMBERED_OUTCOMES} settled relays only, so the relays settled after a restart
 * cross nodes that have forgotten them (ADR 0009, "Memory").
 */
class RelayCrashIT {
    /** 10 in every build; the reliability profiles ask for more through {@code hotaru.relay.kills} (50 in CI). */
    private static final int KILLS = ReliabilityFigures.count("hotaru.relay.kills", 10);

    private static final List<String> NODES = List.of("A", "B", "C", "D");
    /** Settled relays whose outcome each node remembers: a few seconds' worth here. */
    private static final int REMEMBERED_OUTCOMES = 64;

    private static final long WAIT_SECONDS = 60;

    /** Kept when the campaign fails: each node's store, journal and stderr ({@code <node>.err}). */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    /** A running node process and the lines it printed. */
    private static final class Child {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final OutputStream commands;

        Child(Process process) {
            this.process = process;
            this.commands = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (java.io.IOException gone) {
                    // killed
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line, which must start with {@code prefix}; its number after the prefix, if any. */
        int expect(String prefix) throws Exception {
            String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("child answered %s", prefix).isNotNull().startsWith(prefix);
            String rest = line.substring(prefix.length()).trim();
            return rest.isEmpty() ? 0 : Integer.parseInt(rest);
        }

        void send(String command) throws Exception {
            commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        }

        void kill() throws Exception {
            process.toHandle().destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private List<String> javaCommand() throws Exception {
        Path nativeDir = dir.resolve("native");
        Files.createDirectories(nativeDir);
        String resource = "/org/sqlite/native/" + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS()
                + "/libsqlitejdbc.so";
        try (var in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in != null) {
                Files.copy(in, nativeDir.resolve("libsqlitejdbc.so"));
            }
        }
        String classPath = Arrays.stream(
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                                .split(java.io.File.pathSeparator))
                .filter(e -> e.endsWith("classes")
                        || e.contains("key-manager")
                        || e.contains("sqlite-jdbc")
                        || e.contains("bcprov")
                        || e.contains("slf4j-api")
                        || e.contains("logback-"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        // the children's logs go to <node>.err (their stdout answers the campaign's commands)
        Path logConfig = dir.resolve("child-logback.xml");
        Files.writeString(logConfig, """
                <configuration>
                  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="io.netty" level="WARN"/>
                  <root level="INFO"><appender-ref ref="ERR"/></root>
                </configuration>
                """);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx96m",
                // Few outcomes remembered: most relays settled after a restart are ones the nodes on
                // their path have forgotten, so an abort crosses nodes that know nothing of it.
                "-D" + RelayCrashChild.REMEMBERED_PROPERTY + "=" + REMEMBERED_OUTCOMES,
                "-Dlogback.configurationFile=" + logConfig,
                "-cp",
                classPath));
        if (Files.exists(nativeDir.resolve("libsqlitejdbc.so"))) {
            command.add("-Dorg.sqlite.lib.path=" + nativeDir);
            command.add("-Dorg.sqlite.lib.name=libsqlitejdbc.so");
        }
        command.add(RelayCrashChild.class.getName());
        command.add(dir.toString());
        return command;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @Tag("reliability")
    void oneNodeKilledAtRandomPointsOfRelaysAmongLivePeersLeavesEveryRelayWholeOrUndone() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("RelayCrashIT in " + dir + ", seed " + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        List<String> java = javaCommand();
        Map<String, List<String>> peersOf = new LinkedHashMap<>();
        List<RelayNetwork.Link> links = new ArrayList<>();
        for (List<String> link : RelayCrashChild.LINKS) {
            int port = freePort();
            String a = link.get(0);
            String b = link.get(1);
            peersOf.computeIfAbsent(a, k -> new ArrayList<>()).add(b + ":" + port);
            peersOf.computeIfAbsent(b, k -> new ArrayList<>()).add(a + ":" + port);
            String id = RelayNetwork.linkId(a, b);
            links.add(new RelayNetwork.Link(a, b, id, RelayCrashChild.linkUnits(id)));
        }
        Map<String, Child> children = new LinkedHashMap<>();
        Map<String, Integer> kills = new LinkedHashMap<>();
        Map<String, Integer> pauses = new LinkedHashMap<>();
        int checks = 0;
        try {
            for (String node : NODES) {
                children.put(node, start(java, node, peersOf.get(node), random.nextLong()));
            }
            for (String node : NODES) {
                assertThat(children.get(node).expect("READY")).isZero();
            }
            for (int run = 0; run < KILLS; run++) {
                Thread.sleep(50 + random.nextInt(300));
                if (random.nextInt(4) == 0) {
                    // a node frozen in the middle of its relays: its peers wait on it or give up
                    String frozen = NODES.get(random.nextInt(NODES.size()));
                    signal(children.get(frozen).process, "STOP");
                    Thread.sleep(100 + random.nextInt(900));
                    signal(children.get(frozen).process, "CONT");
                    pauses.merge(frozen, 1, Integer::sum);
                    Thread.sleep(random.nextInt(200));
                }
                String victim = NODES.get(random.nextInt(NODES.size()));
                assertThat(children.get(victim).process.isAlive())
                        .as("%s still relaying when killed", victim)
                        .isTrue();
                children.get(victim).kill();
                kills.merge(victim, 1, Integer::sum);
                Thread.sleep(random.nextInt(200)); // the others relay around it meanwhile
                Child restarted = start(java, victim, peersOf.get(victim), random.nextLong());
                children.put(victim, restarted);
                assertThat(restarted.expect("READY"))
                        .as("relays of %s left in doubt after restart %d", victim, run)
                        .isZero();
                List<String> violations = checkWhilePaused(children, links);
                checks++;
                assertThat(violations)
                        .as("history after restart %d (%s)", run, victim)
                        .isEmpty();
            }
            Map<String, List<RelayJournal.Event>> journals = journals();
            long begun = journals.values().stream()
                    .flatMap(List::stream)
                    .filter(e -> e.kind() == RelayJournal.Kind.BEGIN)
                    .count();
            long committed = 0;
            for (String n : NODES) {
                java.util.Set<Long> commits = new java.util.HashSet<>();
                journals.get(n).stream()
                        .filter(e -> e.kind() == RelayJournal.Kind.COMMIT)
                        .forEach(e -> commits.add(e.relayId()));
                committed += journals.get(n).stream()
                        .filter(e -> e.kind() == RelayJournal.Kind.BEGIN && commits.contains(e.relayId()))
                        .count();
            }
            long refills = journals.values().stream()
                    .flatMap(List::stream)
                    .filter(e ->
                            e.kind() == RelayJournal.Kind.LEASE && e.detail().startsWith(AuthRefills.AUTH_IN))
                    .count();
            System.out.printf(
                    "RelayCrashIT: %d kills of one node among live peers %s, %d checks, %d relays begun, %d committed,"
                            + " %d authentication refills taken, SIGSTOP pauses %s%n",
                    KILLS, kills, checks, begun, committed, refills, pauses);
            assertThat(committed).isGreaterThan(KILLS);
            assertThat(refills)
                    .as("the channels refilled their pools from the links")
                    .isPositive();
            ReliabilityFigures.record("sigkills", "relay-node-among-live-peers", KILLS);
            ReliabilityFigures.record(
                    "sigstops",
                    "relay-node-among-live-peers",
                    pauses.values().stream().mapToInt(Integer::intValue).sum());
            ReliabilityFigures.record("relay_history_violations", "relay-node-among-live-peers", 0);
        } finally {
            for (Child c : children.values()) {
                c.kill();
            }
        }
    }

    /** Sends a signal (STOP, CONT) to a node process. */
    private static void signal(Process process, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertThat(kill.waitFor()).as("kill -%s", name).isZero();
    }

    private Child start(List<String> java, String node, List<String> peers, long seed) throws Exception {
        List<String> command = new ArrayList<>(java);
        command.add(node);
        command.add(RelayCrashChild.OPPOSITE.get(node));
        command.add(Long.toString(seed));
        command.addAll(peers);
        return new Child(new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolve(node + ".err").toFile()))
                .start());
    }

    /** Pauses every node, settles and syncs, runs the checker on the files, resumes. */
    private List<String> checkWhilePaused(Map<String, Child> children, List<RelayNetwork.Link> links) throws Exception {
        for (Child c : children.values()) {
            c.send("PAUSE");
        }
        for (Map.Entry<String, Child> c : children.entrySet()) {
            assertThat(c.getValue().expect("PAUSED"))
                    .as("relays of %s in doubt", c.getKey())
                    .isZero();
        }
        for (Child c : children.values()) {
            c.send("SYNC");
        }
        for (Child c : children.values()) {
            c.expect("SYNCED");
            c.send("DUMP");
            c.expect("DUMPED");
        }
        Map<String, RelayHistoryChecker.StoreView> stores = new LinkedHashMap<>();
        for (String node : NODES) {
            stores.put(node, dumpOf(node));
        }
        List<String> violations = RelayHistoryChecker.checkViews(stores, journals(), links);
        for (Child c : children.values()) {
            c.send("RESUME");
        }
        for (Child c : children.values()) {
            c.expect("RESUMED");
        }
        return violations;
    }

    /** A node's store as its last dump shows it (states, and digests of the keys it holds). */
    private RelayHistoryChecker.StoreView dumpOf(String node) throws Exception {
        Map<java.util.UUID, String[]> rows = new java.util.HashMap<>();
        for (String line : Files.readAllLines(dir.resolve(node + ".dump"), StandardCharsets.US_ASCII)) {
            String[] f = line.split(" ");
            rows.put(java.util.UUID.fromString(f[0]), f);
        }
        return new RelayHistoryChecker.StoreView() {
            @Override
            public java.util.Optional<KeyState> stateOf(java.util.UUID keyId) {
                String[] f = rows.get(keyId);
                return f == null ? java.util.Optional.empty() : java.util.Optional.of(KeyState.valueOf(f[1]));
            }

            @Override
            public byte[] digest(List<java.util.UUID> keyIds) {
                assertThat(keyIds).as("relayed keys of one unit").hasSize(1);
                return java.util.HexFormat.of().parseHex(rows.get(keyIds.get(0))[2]);
            }
        };
    }

    /** Every node's journal as written so far (in its key store file), read-only. */
    private Map<String, List<RelayJournal.Event>> journals() throws Exception {
        Map<String, List<RelayJournal.Event>> journals = new LinkedHashMap<>();
        for (String node : NODES) {
            List<RelayJournal.Event> events = RelayJournal.read(dir.resolve(node + ".db"));
            journals.put(node, events);
        }
        return journals;
    }
}
